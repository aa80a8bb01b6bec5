/** Placeholder until its owner lands the real view (see the UI issue). */
export function Inspector() {
  return <section data-testid="inspector-pending" />;
}
export default Inspector;
