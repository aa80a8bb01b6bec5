/** Placeholder until its owner lands the real view (see the UI issue). */
export function Ladder() {
  return <section data-testid="ladder-pending" />;
}
export default Ladder;
