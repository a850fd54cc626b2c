import type { PluginKind, PluginKinds } from './tokens.js';

/** One registrable implementation: its kind, the name users type, and the value. */
export type Plugin = {
  [K in PluginKind]: { readonly kind: K; readonly name: string; readonly value: PluginKinds[K] };
}[PluginKind];

/** What a plugin package exports: an id (its package name) and its plugins. */
export interface PluginBundle {
  readonly id: string;
  readonly plugins: readonly Plugin[];
}

/** Typed constructor so that a wrong value for a kind fails to compile. */
export function definePlugin<K extends PluginKind>(kind: K, name: string, value: PluginKinds[K]): Plugin {
  return { kind, name: name.toLowerCase(), value } as Plugin;
}

export function defineBundle(id: string, plugins: readonly Plugin[]): PluginBundle {
  return { id, plugins };
}
