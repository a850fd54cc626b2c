import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PLUGIN_KINDS, type Container, type PluginBundle } from '@glmm/core';
import type { ParsedArgs } from './args.js';
import { pluginListing, type PluginListing } from './help.js';
import { UsageError } from './usage-error.js';

/**
 * `--plugin ./my-family.js` or `--plugin some-package`: imports the module
 * and returns the PluginBundle it exports (default export, or a named export
 * `bundle`), checked for shape so that a wrong file is one clear line rather
 * than a failure deep inside a fit.  A path (starting with ".", "/" or a
 * drive, or ending in .js/.mjs/.cjs) is taken relative to `cwd`; anything
 * else is a package name resolved from `cwd` as Node would resolve it there.
 */
export async function loadPluginBundle(spec: string, cwd: string = process.cwd()): Promise<PluginBundle> {
  const url = moduleUrl(spec, cwd);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`--plugin ${spec}: cannot load the module: ${err instanceof Error ? err.message : String(err)}`);
  }
  const candidate = isBundle(mod['default']) ? mod['default'] : mod['bundle'];
  if (!isBundle(candidate))
    throw new UsageError(
      `--plugin ${spec}: the module exports no plugin bundle (a default export or an export named "bundle" of the form { id, plugins: [{ kind, name, value }] } with kind one of ${PLUGIN_KINDS.join(', ')})`,
    );
  return candidate;
}

/** Every --plugin in order. */
export async function loadPluginBundles(specs: readonly string[], cwd?: string): Promise<PluginBundle[]> {
  const out: PluginBundle[] = [];
  for (const spec of specs) out.push(await loadPluginBundle(spec, cwd));
  return out;
}

/**
 * The container of a command: every bundled plugin and the --plugin
 * bundles, so a model fitted with a custom family (or link, estimator,
 * covariance structure) loads with the same --plugin.
 */
export async function commandContainer(args: ParsedArgs): Promise<Container> {
  const bundles = await loadPluginBundles(args.repeated.get('plugin') ?? []);
  const { createDefaultContainer } = await import('@glmm/glmm');
  return createDefaultContainer(...bundles);
}

/**
 * What the default container holds with the --plugin bundles added, for the
 * help text; undefined when the plugin packages cannot be loaded at all, so
 * that --help still answers.  A bad --plugin is still an error.
 */
export async function loadedPlugins(specs: readonly string[]): Promise<PluginListing | undefined> {
  const bundles = await loadPluginBundles(specs);
  try {
    const { createDefaultContainer } = await import('@glmm/glmm');
    return pluginListing(createDefaultContainer(...bundles));
  } catch {
    return undefined;
  }
}

function moduleUrl(spec: string, cwd: string): string {
  const path = /^(\.{1,2}[\\/]|[\\/]|[A-Za-z]:[\\/])/.test(spec) || /\.[cm]?js$/.test(spec);
  if (path) return pathToFileURL(isAbsolute(spec) ? spec : resolve(cwd, spec)).href;
  try {
    return pathToFileURL(createRequire(resolve(cwd, 'package.json')).resolve(spec)).href;
  } catch {
    throw new UsageError(`--plugin ${spec}: no package of that name can be found from ${cwd} (give a path such as ./${spec}.js for a file)`);
  }
}

function isBundle(value: unknown): value is PluginBundle {
  if (typeof value !== 'object' || value === null) return false;
  const bundle = value as { id?: unknown; plugins?: unknown };
  if (typeof bundle.id !== 'string' || !Array.isArray(bundle.plugins)) return false;
  return bundle.plugins.every((p: unknown) => {
    const plugin = p as { kind?: unknown; name?: unknown; value?: unknown } | null;
    return (
      typeof plugin === 'object' &&
      plugin !== null &&
      typeof plugin.name === 'string' &&
      (PLUGIN_KINDS as readonly unknown[]).includes(plugin.kind) &&
      typeof plugin.value === 'object' &&
      plugin.value !== null
    );
  });
}
