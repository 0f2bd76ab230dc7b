import { useMemo, useState } from 'react';
import { AlertsPanel, AuditPanel, SyncPanel } from './activity.panel.js';
import { BoardPanel, TimelinePanel } from './board.panel.js';
import { consoleApi, login, savedToken, saveToken } from './console-api.js';
import { DeskPanel } from './desk.panel.js';
import { DoorsPanel } from './doors.panel.js';
import { OwedPanel } from './owed.panel.js';
import { useConsoleData } from './use-console-data.js';

function Login({ onToken }: { onToken: (token: string) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <main className="login">
      <form
        className="card"
        aria-label="Staff sign-in"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          login(username, password).then(onToken, (err: Error) => setError(err.message));
        }}
      >
        <h1>ClubOS staff console</h1>
        <label>
          Username
          <input
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            required
          />
        </label>
        <label>
          Password
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
          />
        </label>
        {error ? (
          <p className="notice error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary">
          Sign in
        </button>
      </form>
    </main>
  );
}

function Console({ token, onLogout }: { token: string; onLogout: () => void }) {
  const api = useMemo(() => consoleApi(token), [token]);
  const [data, reload] = useConsoleData(api, token);
  const tz = data.board?.timezone ?? 'UTC';
  const offline = data.sync !== null && data.sync.state !== 'online';
  return (
    <div className="console">
      <header className="top">
        <h1>ClubOS console</h1>
        <span className={`chip ${offline ? 'warn' : 'ok'}`}>Cloud {data.sync?.state ?? '…'}</span>
        <span className={`chip ${data.live ? 'ok' : 'off'}`}>{data.live ? 'Live' : 'Reconnecting…'}</span>
        <button
          type="button"
          onClick={() => {
            void api.logout().catch(() => undefined);
            onLogout();
          }}
        >
          Sign out
        </button>
      </header>
      {offline ? (
        <p className="banner" role="status">
          The cloud is unreachable. The console keeps working from this venue's copy of the schedule.
        </p>
      ) : null}
      {data.error ? (
        <p className="notice error page-error" role="alert">
          {data.error}
        </p>
      ) : null}
      {data.board === null ? (
        <p className="muted">Loading the board…</p>
      ) : (
        <div className="layout">
          <div className="main-col">
            <BoardPanel board={data.board} />
            <TimelinePanel board={data.board} />
            <DeskPanel api={api} board={data.board} onDone={reload} />
            <DoorsPanel api={api} board={data.board} emergency={data.emergency} onDone={reload} />
          </div>
          <aside className="side-col">
            <SyncPanel sync={data.sync} attention={data.attention} tz={tz} />
            <OwedPanel api={api} tz={tz} onDone={reload} />
            <AlertsPanel alerts={data.alerts} api={api} onDone={reload} />
            <AuditPanel entries={data.audit} tz={tz} />
          </aside>
        </div>
      )}
    </div>
  );
}

export function App() {
  const [token, setToken] = useState<string | null>(savedToken());
  if (token === null) {
    return (
      <Login
        onToken={(t) => {
          saveToken(t);
          setToken(t);
        }}
      />
    );
  }
  return (
    <Console
      token={token}
      onLogout={() => {
        saveToken(null);
        setToken(null);
      }}
    />
  );
}
