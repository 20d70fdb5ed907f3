// The trivial handler both sides of bench:local's /runsync comparison call.
export const handler = (job) => ({ echo: job.input });
