// The one module that talks to the Rust side. Components import from here, never from
// @tauri-apps/* directly, so tests mock this file and nothing else. Generated bindings
// (ui/src/bindings.ts) will replace the hand-written types below.
import { invoke } from "@tauri-apps/api/core";

/** Mirrors `AppInfo` in src-tauri/src/lib.rs. */
export interface AppInfo {
  name: string;
  version: string;
}

/** The product name and version of the running app. */
export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>("app_info");
}
