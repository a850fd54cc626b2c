import { describe, expect, it } from 'vitest';
import {
  createContainer,
  defineBundle,
  definePlugin,
  listBundles,
  listPlugins,
  PluginNotFoundError,
  registerBundles,
  resolvePlugin,
  type Reporter,
} from '@glmm/core';

const text: Reporter = { name: 'text', render: () => 'text' };
const json: Reporter = { name: 'json', render: () => 'json' };

describe('plugin container', () => {
  it('resolves a registered plugin by name, case-insensitively', () => {
    const c = createContainer(defineBundle('a', [definePlugin('reporter', 'text', text)]));
    expect(resolvePlugin(c, 'reporter', 'TEXT')).toBe(text);
  });

  it('is idempotent: registering the same bundle or plugin twice is harmless', () => {
    const bundle = defineBundle('a', [definePlugin('reporter', 'text', text)]);
    const c = createContainer(bundle, bundle);
    registerBundles(c, bundle, defineBundle('b', [definePlugin('reporter', 'text', json)]));
    expect(listPlugins(c, 'reporter')).toEqual(['text']);
    expect(resolvePlugin(c, 'reporter', 'text')).toBe(text);
    expect(listBundles(c)).toEqual(['a', 'b']);
  });

  it('names the loaded plugins when one is missing', () => {
    const c = createContainer(
      defineBundle('a', [definePlugin('reporter', 'text', text), definePlugin('reporter', 'json', json)]),
    );
    expect(() => resolvePlugin(c, 'reporter', 'html')).toThrow(PluginNotFoundError);
    expect(() => resolvePlugin(c, 'reporter', 'html')).toThrow(/loaded reporter plugins: json, text/);
    expect(() => resolvePlugin(c, 'family', 'gaussian')).toThrow(/\(none\)/);
  });
});
