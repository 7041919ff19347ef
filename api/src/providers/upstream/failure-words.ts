/**
 * The upstreams' own words for a refused prompt, in the languages the gateways answer in (see
 * section C of the upstream protocols page): every dialect's refusal, whether it arrives in a
 * stream, a failed job or an error answer, is told apart from other failures by these.
 */
export const CONTENT_POLICY_WORDS =
  /content[\s_-]*polic|policy[\s_-]*violation|usage polic|guardrail|moderation|safety (?:system|filter)|内容(?:政策|审核|违规)|违反|违规|敏感/i;

/*
 * The words of refusals that say what is wrong beyond the HTTP status, from the gateways' source
 * (section C): they are matched against an error's text and its machine code together, because
 * new-api rewrites some messages (every 429 reads "upstream saturated") and only the code is left.
 */

/** The account at the gateway has no credit left (new-api, OpenAI). Never worth a retry. */
export const QUOTA_WORDS =
  /quota[\s_-]*(?:is[\s_-]*)?not[\s_-]*enough|insufficient[\s_-]*(?:user[\s_-]*)?(?:quota|balance|credits?|funds)|exceeded your current quota|额度(?:不足|已用尽)|余额不足/i;

/** The API key is missing, wrong, expired or not set up (sora2api, grok2api, new-api, go-sora2api). */
export const API_KEY_WORDS =
  /invalid[\s_-]*api[\s_-]*key|incorrect api key|not authenticated|invalid authentication|missing or invalid authorization|无效的\s*(?:令牌|API\s*Key)|令牌(?:无效|已过期|已被禁用|状态不可用)|缺少认证令牌|缺少\s*Authorization|API\s*Key\s*未绑定分组/i;

/** An IP address or region blocked, ours or the gateway's towards its own provider (grok2api). */
export const LOCATION_WORDS =
  /您的\s*IP|IP\s*(?:地址)?\s*(?:已)?被(?:拦截|封禁|限制)|\bIP(?: address)? (?:is |has been )?(?:blocked|banned|not allowed)|unsupported[\s_-]*country|(?:country|region|territory)[^.]{0,40}not supported|not (?:available|supported) in your (?:country|region|location)/i;

/** The gateway does not know the model name (sora2api, grok2api, go-sora2api, OpenAI). */
export const UNKNOWN_MODEL_WORDS =
  /invalid[\s_-]*model|model[\s_-]*not[\s_-]*found|unknown model|model\b.{0,80}?\bdoes not exist|模型名称中未找到|模型不存在|不支持的模型/i;

/** new-api knows the model but none of its channels serves it for this key's group. */
export const NO_CHANNEL_WORDS = /无可用渠道|no available channel/i;

/** The gateway's pool of provider accounts is empty or all cooling down (grok2api, go-sora2api). */
export const NO_ACCOUNT_WORDS =
  /没有可用\s*token|无可用账号|没有可用的\s*\S{0,10}\s*账号|no available (?:accounts?|tokens?)/i;
