/**
 * The page shell. It carries no data and no key; the script fills it in from the authenticated
 * `/_dashboard/api/` routes. Views are sections switched by the URL hash, so links, the back
 * button and the keyboard work as on any page.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>runpod-ts local dashboard</title>
<link rel="stylesheet" href="/_dashboard/assets/dashboard.css">
<script type="module" src="/_dashboard/assets/dashboard.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <h1>runpod-ts <span class="muted">local platform</span></h1>
  <p class="muted">Endpoint <code id="endpoint-id">…</code></p>
  <p id="connection" class="connection" role="status" aria-live="polite">Connecting…</p>
</header>

<section id="auth" class="panel" hidden aria-labelledby="auth-title">
  <h2 id="auth-title">API key required</h2>
  <form id="auth-form">
    <p>This platform was started with an API key. Enter it to see its jobs; it is kept in this tab only (session storage) and sent as a header, never in a URL.</p>
    <label for="api-key">API key</label>
    <input id="api-key" name="api-key" type="password" autocomplete="off" required>
    <button type="submit">Unlock</button>
    <p id="auth-error" class="error" role="alert"></p>
  </form>
</section>

<main id="main" hidden tabindex="-1">
  <section class="overview" aria-labelledby="health-title">
    <div>
      <h2 id="health-title">Health</h2>
      <div class="health">
        <dl id="health-jobs" aria-label="Jobs, as /health reports them"></dl>
        <dl id="health-workers" aria-label="Workers, as /health reports them"></dl>
      </div>
    </div>
    <figure class="chart">
      <figcaption id="chart-caption">Jobs finished per second and mean latency</figcaption>
      <svg id="chart" role="img" aria-labelledby="chart-caption chart-summary" viewBox="0 0 300 90" preserveAspectRatio="none"></svg>
      <p id="chart-summary" class="muted"></p>
    </figure>
  </section>

  <nav aria-label="Views" class="tabs">
    <a href="#/jobs" data-view="jobs">Jobs</a>
    <a href="#/workers" data-view="workers">Workers</a>
    <a href="#/load-balancer" data-view="load-balancer" id="tab-load-balancer" hidden>Load balancer</a>
    <a href="#/batches" data-view="batches">Batches</a>
    <a href="#/submit" data-view="submit">Submit a job</a>
  </nav>

  <section id="view-jobs" class="panel" aria-labelledby="jobs-title">
    <div class="panel-head">
      <h2 id="jobs-title" tabindex="-1">Jobs</h2>
      <label for="status-filter">Status</label>
      <select id="status-filter">
        <option value="">All</option>
        <option>IN_QUEUE</option>
        <option>IN_PROGRESS</option>
        <option>COMPLETED</option>
        <option>FAILED</option>
        <option>CANCELLED</option>
        <option>TIMED_OUT</option>
      </select>
      <p id="jobs-count" class="muted" aria-live="polite"></p>
    </div>
    <table>
      <thead><tr>
        <th scope="col">Job</th><th scope="col">Status</th><th scope="col" class="num">Delay</th>
        <th scope="col" class="num">Execution</th><th scope="col">Worker</th><th scope="col" class="num">Age</th>
      </tr></thead>
      <tbody id="jobs-body"></tbody>
    </table>
    <p id="jobs-empty" class="muted">No jobs yet. Submit one, or send one to the endpoint.</p>
  </section>

  <section id="view-job" class="panel" hidden aria-labelledby="job-title">
    <p><a href="#/jobs">← All jobs</a></p>
    <h2 id="job-title" tabindex="-1">Job <code id="job-id"></code></h2>
    <p id="job-missing" class="error" hidden>This job is no longer on the platform (it expired, was removed, or never existed).</p>
    <div id="job-body">
      <dl id="job-facts" class="facts"></dl>
      <div class="actions">
        <button type="button" id="job-cancel">Cancel job</button>
        <button type="button" id="job-retry">Retry job</button>
        <p id="job-message" role="status"></p>
      </div>
      <section id="job-error-box" class="error-box" hidden aria-labelledby="job-error-title">
        <h3 id="job-error-title">Error</h3>
        <div id="job-error"></div>
      </section>
      <div class="columns">
        <section aria-labelledby="job-input-title"><h3 id="job-input-title">Input</h3><pre id="job-input" tabindex="0"></pre></section>
        <section aria-labelledby="job-output-title"><h3 id="job-output-title">Output</h3><pre id="job-output" tabindex="0"></pre></section>
      </div>
      <section aria-labelledby="job-stream-title">
        <h3 id="job-stream-title">Stream chunks <span id="job-chunk-count" class="muted"></span></h3>
        <ol id="job-chunks" class="log" aria-live="polite"></ol>
      </section>
      <section aria-labelledby="job-progress-title">
        <h3 id="job-progress-title">Progress updates</h3>
        <ol id="job-progress" class="log"></ol>
      </section>
      <section aria-labelledby="job-webhooks-title">
        <h3 id="job-webhooks-title">Webhook attempts</h3>
        <ol id="job-webhooks" class="log"></ol>
      </section>
    </div>
  </section>

  <section id="view-workers" class="panel" hidden aria-labelledby="workers-title">
    <h2 id="workers-title" tabindex="-1">Workers</h2>
    <table>
      <thead><tr>
        <th scope="col">Worker</th><th scope="col">State</th><th scope="col">Jobs in progress</th>
        <th scope="col" class="num">Last seen</th><th scope="col">Version</th><th scope="col">Notes</th>
      </tr></thead>
      <tbody id="workers-body"></tbody>
    </table>
    <p id="workers-empty" class="muted">No worker has called the platform yet. Workers appear with their first ping or job-take.</p>
  </section>

  <section id="view-load-balancer" class="panel" hidden aria-labelledby="lb-title">
    <h2 id="lb-title" tabindex="-1">Load balancer</h2>
    <p class="muted">Any path under an endpoint's URL goes to one of its workers whose health check answers 200.</p>
    <h3>Endpoints</h3>
    <table>
      <thead><tr>
        <th scope="col">Endpoint</th><th scope="col">URL</th><th scope="col" class="num">Workers</th>
        <th scope="col" class="num">Started</th>
      </tr></thead>
      <tbody id="lb-endpoints-body"></tbody>
    </table>
    <h3>Workers</h3>
    <table>
      <thead><tr>
        <th scope="col">Worker</th><th scope="col">Endpoint</th><th scope="col">State</th><th scope="col" class="num">In flight</th>
        <th scope="col" class="num">Served</th><th scope="col" class="num">Cold start</th>
        <th scope="col" class="num">Last request</th><th scope="col">Port</th><th scope="col">Notes</th>
      </tr></thead>
      <tbody id="lb-workers-body"></tbody>
    </table>
    <p id="lb-workers-empty" class="muted">No worker is running: the first request starts one.</p>
    <h3>Recent requests</h3>
    <table>
      <thead><tr>
        <th scope="col">At</th><th scope="col">Endpoint</th><th scope="col">Method</th><th scope="col">Path</th>
        <th scope="col" class="num">Status</th><th scope="col">Worker</th>
        <th scope="col" class="num">Waited</th><th scope="col" class="num">Took</th><th scope="col">Error</th>
      </tr></thead>
      <tbody id="lb-requests-body"></tbody>
    </table>
    <p id="lb-requests-empty" class="muted">No request yet.</p>
  </section>

  <section id="view-batches" class="panel" hidden aria-labelledby="batches-title">
    <h2 id="batches-title" tabindex="-1">Batches</h2>
    <table>
      <thead><tr>
        <th scope="col">Batch</th><th scope="col">Name</th><th scope="col">State</th>
        <th scope="col">Progress</th><th scope="col">Requests</th><th scope="col" class="num">Created</th>
      </tr></thead>
      <tbody id="batches-body"></tbody>
    </table>
    <p id="batches-empty" class="muted" hidden>No batches yet. Create one with <code>POST /v2/{endpoint}/batch</code> or <code>runpod-ts endpoint batch submit</code>.</p>
  </section>

  <section id="view-batch" class="panel" hidden aria-labelledby="batch-title">
    <p><a href="#/batches">← All batches</a></p>
    <h2 id="batch-title" tabindex="-1">Batch <code id="batch-id"></code></h2>
    <p id="batch-missing" class="muted" hidden>The platform does not know this batch (it may have expired).</p>
    <dl id="batch-facts" class="facts"></dl>
    <table>
      <thead><tr>
        <th scope="col">Request (its job)</th><th scope="col">Status</th><th scope="col">Started</th>
        <th scope="col">Completed</th><th scope="col">Error</th>
      </tr></thead>
      <tbody id="batch-requests-body"></tbody>
    </table>
    <p id="batch-more" class="muted" hidden></p>
  </section>

  <section id="view-submit" class="panel" hidden aria-labelledby="submit-title">
    <h2 id="submit-title" tabindex="-1">Submit a job</h2>
    <form id="submit-form" novalidate>
      <label for="submit-input">Input (a JSON object; the handler gets it as <code>job.input</code>)</label>
      <textarea id="submit-input" name="input" rows="8" spellcheck="false" aria-describedby="submit-error">{
  "prompt": "Hello, world"
}</textarea>
      <p id="submit-error" class="error" role="alert"></p>
      <fieldset>
        <legend>Send with</legend>
        <label><input type="radio" name="mode" value="run" checked> <code>run</code>: queue it and answer at once</label>
        <label><input type="radio" name="mode" value="runsync"> <code>runsync</code>: wait for the result</label>
      </fieldset>
      <button type="submit" id="submit-button">Submit job</button>
      <p id="submit-status" role="status"></p>
    </form>
  </section>
</main>
</body>
</html>
`;
