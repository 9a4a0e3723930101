// `{{name}}` variables of the active environment (see crates/core/src/variables.rs): the page
// leaves a value with a placeholder to the engine, which checks it once it is filled in.

/** Whether `value` holds a `{{…}}` placeholder (or the `{{{{` escape). */
export function hasVariables(value: string): boolean {
  return value.includes("{{");
}
