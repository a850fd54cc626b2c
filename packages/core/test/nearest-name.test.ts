import { describe, expect, it } from 'vitest';
import { createContainer, definePlugin, defineBundle, editDistance, nearestName, resolvePlugin } from '../src/index.js';

describe('nearestName', () => {
  const options = ['data', 'formula', 'family', 'link', 'method', 'diagnostics', 'format', 'output'];

  it('answers typos with the closest name', () => {
    expect(nearestName('familly', options)).toBe('family');
    expect(nearestName('dat', options)).toBe('data');
    expect(nearestName('fromula', options)).toBe('formula');
    expect(nearestName('METHOD', options)).toBe('method');
    expect(nearestName('binomal', ['gaussian', 'binomial', 'poisson', 'gamma'])).toBe('binomial');
  });

  it('takes a unique prefix', () => {
    expect(nearestName('diag', options)).toBe('diagnostics');
    expect(nearestName('f', options)).toBeUndefined();
  });

  it('offers nothing for a different word', () => {
    expect(nearestName('colour', options)).toBeUndefined();
    expect(nearestName('gamma', ['poisson'])).toBeUndefined();
    expect(nearestName('', options)).toBeUndefined();
  });

  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('a missing plugin error suggests the nearest loaded one', () => {
    const c = createContainer(defineBundle('r', [definePlugin('reporter', 'html', { name: 'html', render: () => '' })]));
    expect(() => resolvePlugin(c, 'reporter', 'htm')).toThrow('unknown reporter "htm" (did you mean "html"?); loaded reporter plugins: html');
  });
});
