import { Container } from 'inversify';
import { PluginNotFoundError } from './errors.js';
import type { Plugin, PluginBundle } from './plugin.js';
import { PLUGIN_KINDS, TOKENS, type PluginKind, type PluginKinds } from './tokens.js';

/**
 * The names registered per kind, kept beside the Inversify bindings because
 * error messages and `listPlugins` need them and named bindings cannot be
 * enumerated without resolving them.
 */
const REGISTRY = Symbol.for('glmm.registry');
type Registry = { [K in PluginKind]: Set<string> } & { bundles: Set<string> };

function registryOf(container: Container): Registry {
  if (!container.isBound(REGISTRY)) {
    const registry = { bundles: new Set<string>() } as Registry;
    for (const kind of PLUGIN_KINDS) registry[kind] = new Set<string>();
    container.bind(REGISTRY).toConstantValue(registry);
  }
  return container.get<Registry>(REGISTRY);
}

/** A container with the given plugin bundles registered. */
export function createContainer(...bundles: readonly PluginBundle[]): Container {
  const container = new Container();
  registerBundles(container, ...bundles);
  return container;
}

/** Registers bundles; a bundle or plugin that is already registered is left as it is. */
export function registerBundles(container: Container, ...bundles: readonly PluginBundle[]): Container {
  const registry = registryOf(container);
  for (const bundle of bundles) {
    if (registry.bundles.has(bundle.id)) continue;
    for (const plugin of bundle.plugins) registerPlugin(container, plugin);
    registry.bundles.add(bundle.id);
  }
  return container;
}

/** Registers one plugin under its kind's token and name; idempotent per (kind, name). */
export function registerPlugin(container: Container, plugin: Plugin): void {
  const registry = registryOf(container);
  const names = registry[plugin.kind];
  const name = plugin.name.toLowerCase();
  if (names.has(name)) return;
  container
    .bind(TOKENS[plugin.kind] as symbol)
    .toConstantValue(plugin.value)
    .whenNamed(name);
  names.add(name);
}

/** Resolves a plugin by name; an unknown name throws an error listing what is loaded. */
export function resolvePlugin<K extends PluginKind>(container: Container, kind: K, name: string): PluginKinds[K] {
  const key = name.toLowerCase();
  const names = registryOf(container)[kind];
  if (!names.has(key)) throw new PluginNotFoundError(kind, name, [...names].sort());
  return container.get(TOKENS[kind], { name: key });
}

/** Names of the registered plugins of a kind, sorted. */
export function listPlugins(container: Container, kind: PluginKind): string[] {
  return [...registryOf(container)[kind]].sort();
}

/** Ids of the registered bundles, in registration order. */
export function listBundles(container: Container): string[] {
  return [...registryOf(container).bundles];
}

export type { Container };
