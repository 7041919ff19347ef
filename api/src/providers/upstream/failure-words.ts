/**
 * The upstreams' own words for a refused prompt, in the languages the gateways answer in (see
 * section C of the upstream protocols page): every dialect's refusal, whether it arrives in a
 * stream, a failed job or an error answer, is told apart from other failures by these.
 */
export const CONTENT_POLICY_WORDS =
  /content[\s_-]*polic|policy[\s_-]*violation|usage polic|guardrail|moderation|safety (?:system|filter)|内容(?:政策|审核|违规)|违反|违规|敏感/i;
