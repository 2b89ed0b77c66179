/** Ends an exhaustive `switch`: adding a case to the union without handling it fails to compile. */
export function assertUnreachable(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
