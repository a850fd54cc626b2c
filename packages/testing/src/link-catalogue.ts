import { createContainer, defineBundle, definePlugin, resolveLink, type Container, type Link, type PluginBundle } from '@glmm/core';
import { linksBundle } from '@glmm/links';
import { softplusLink, undeclaredLogLink } from './test-links.js';

/** Exponents of the power links every family is paired with, asked for by name as power(p). */
export const POWER_EXPONENTS = ['-2', '-1', '-0.5', '1/3', '0.5', '2'] as const;

/** The custom links of the suite, registered beside the shipped ones. */
export const testLinksBundle: PluginBundle = defineBundle('@glmm/testing/test-links', [
  definePlugin('link', softplusLink.name, softplusLink),
  definePlugin('link', undeclaredLogLink.name, undeclaredLogLink),
]);

export interface CatalogueLink {
  /** The name a user would type: "logit", "power(0.5)", "softplus". */
  readonly request: string;
  readonly link: Link;
}

/**
 * Every link a family is tested against: the shipped ones (the registered
 * "power" as power(p) for several p), two custom links, and any `extra`
 * links a family brings, all resolved by name from one container as fitGlmm
 * resolves them.
 */
export function linkCatalogue(extra: readonly Link[] = []): { container: Container; links: CatalogueLink[] } {
  const container = createContainer(
    linksBundle,
    testLinksBundle,
    defineBundle('@glmm/testing/extra-links', extra.map((l) => definePlugin('link', l.name, l))),
  );
  const requests: string[] = [];
  for (const plugin of [...linksBundle.plugins, ...testLinksBundle.plugins]) {
    const link = plugin.value as Link;
    if (link.withParameter) for (const p of POWER_EXPONENTS) requests.push(`${plugin.name}(${p})`);
    else requests.push(plugin.name);
  }
  for (const l of extra) requests.push(l.name);
  return { container, links: requests.map((request) => ({ request, link: resolveLink(container, request) })) };
}
