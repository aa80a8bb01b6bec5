/** Placeholder until its owner lands the real view (see the UI issue). */
export function CaptureTerminal() {
  return <section data-testid="captureterminal-pending" />;
}
export default CaptureTerminal;
