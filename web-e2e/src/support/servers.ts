// Where the servers that playwright.config.ts starts listen: read by the config to start them and
// by the specs that talk to a server other than the default one. WEB_E2E_PORT moves all three.
const firstPort = Number(process.env['WEB_E2E_PORT'] ?? 3210);

/** The app on the built-in `local` provider: every spec's baseURL unless it says otherwise. */
export const LOCAL_APP_PORT = firstPort;
/** The app on the `chat-stream` provider, generating through the fake gateway. */
export const CHAT_STREAM_APP_PORT = firstPort + 1;
/** The fake upstream gateway (api/e2e/fake-gateway), speaking the Sora chat-completions protocol. */
export const GATEWAY_PORT = firstPort + 2;

export const LOCAL_APP_URL = `http://127.0.0.1:${LOCAL_APP_PORT}`;
export const CHAT_STREAM_APP_URL = `http://127.0.0.1:${CHAT_STREAM_APP_PORT}`;
export const GATEWAY_URL = `http://127.0.0.1:${GATEWAY_PORT}`;
