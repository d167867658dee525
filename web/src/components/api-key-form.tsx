import { useState, type FormEvent } from "react";
import { saveApiKey, storedApiKey } from "../api/api-client.js";

/**
 * Shown when the server answered 401 (or from the header): the key is kept in this browser's
 * local storage and sent as a Bearer token with every API request.
 */
export function ApiKeyForm({ onDone }: { onDone: () => void }) {
  const [key, setKey] = useState(() => storedApiKey() ?? "");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    saveApiKey(key.trim() || undefined);
    onDone();
  };
  return (
    <form className="key-form" onSubmit={submit} aria-label="API key">
      <p>
        This server needs an API key. Create one with <code>ponder keys create</code> on the server and paste it here; it is kept in this
        browser only.
      </p>
      <div className="key-row">
        <input
          type="password"
          name="api-key"
          autoComplete="off"
          placeholder="key id.secret"
          value={key}
          onChange={(event) => setKey(event.target.value)}
        />
        <button type="submit" className="primary">
          Save key
        </button>
        {storedApiKey() && (
          <button
            type="button"
            onClick={() => {
              saveApiKey(undefined);
              setKey("");
              onDone();
            }}
          >
            Forget key
          </button>
        )}
      </div>
    </form>
  );
}
