import type { Container } from './container.js';
import { listPlugins, resolvePlugin } from './container.js';
import { GlmmInputError } from './errors.js';
import type { Family } from './family.js';
import type { Link } from './link.js';
import { formatInterval, isLinkAllowed } from './link-pairing.js';

/** `name` or `name(value)`; the value a decimal number or a ratio such as 1/3. */
const PARAMETRIC = /^\s*([^()\s]+)\s*\(\s*([^()]*?)\s*\)\s*$/;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

/** Values of the parametric links tried when listing the links a family accepts. */
const SAMPLE_PARAMETERS = [-2, -1, -0.5, 0.5, 2];

function parseParameter(text: string, name: string): number {
  const parts = text.split('/').map((s) => s.trim());
  if (parts.length <= 2 && parts.every((s) => NUMBER.test(s))) {
    const value = parts.length === 1 ? Number(parts[0]) : Number(parts[0]) / Number(parts[1]);
    if (Number.isFinite(value)) return value;
  }
  throw new GlmmInputError(`link "${name}": "${text}" is not a number; write for example power(0.5) or power(1/3)`);
}

/**
 * Resolves a link by name from the container: a registered name ("logit",
 * "1/mu^2", a custom link) or a parametric one, `power(0.5)`, which asks the
 * registered link "power" for its member at 0.5.
 */
export function resolveLink(container: Container, name: string): Link {
  const m = PARAMETRIC.exec(name);
  if (!m) return resolvePlugin(container, 'link', name.trim());
  const base = resolvePlugin(container, 'link', m[1]!);
  if (!base.withParameter) {
    throw new GlmmInputError(`link "${m[1]}" takes no parameter; write --link ${m[1]} (got "${name}")`);
  }
  const value = parseParameter(m[2]!, name);
  try {
    return base.withParameter(value);
  } catch (err) {
    throw new GlmmInputError(`link "${name}": ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Whether the parametric link's member at p exists and is allowed for the family. */
function memberAllowed(family: Family, link: Link, p: number): boolean {
  try {
    return isLinkAllowed(family, link.withParameter!(p));
  } catch {
    return false;
  }
}

/** Names of the loaded links the family accepts, with `name(p)` for parametric ones that fit for some p. */
export function allowedLinkNames(container: Container, family: Family): string[] {
  const names = new Set(family.allowedLinks);
  for (const name of listPlugins(container, 'link')) {
    const link = resolvePlugin(container, 'link', name);
    if (isLinkAllowed(family, link)) names.add(link.name);
    if (link.withParameter && SAMPLE_PARAMETERS.some((p) => memberAllowed(family, link, p))) names.add(`${name}(p)`);
  }
  return [...names];
}

/**
 * The link for a fit of `family`: the one asked for, or the canonical link,
 * refused with one line naming both and the links the family accepts when
 * the pair is not allowed (see isLinkAllowed).
 */
export function resolveLinkForFamily(container: Container, family: Family, requested?: string): Link {
  const link = resolveLink(container, requested ?? family.canonicalLink);
  if (isLinkAllowed(family, link)) return link;
  const space = family.meanSpace ? ` (means in ${formatInterval(family.meanSpace)})` : '';
  const domain = link.muDomain ? `${link.name} is defined on ${formatInterval(link.muDomain)}` : `${link.name} declares no mean domain`;
  const range = link.muRange ? ` and maps onto ${formatInterval(link.muRange)}` : '';
  throw new GlmmInputError(
    `link "${requested ?? link.name}" cannot be used with the ${family.name} family${space}: ${domain}${range}; ` +
      `links for ${family.name}: ${allowedLinkNames(container, family).join(', ')}`,
  );
}
