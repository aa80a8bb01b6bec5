import type { ReactNode } from 'react';

/** A two-column table of labelled facts (label | value), as the inspector and the certificate view show them. */
export function FactTable({ rows, className }: { rows: [string, ReactNode][]; className: string }) {
  return (
    <table className={className}>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
