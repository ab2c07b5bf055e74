// Preloaded into the `prisma migrate deploy` child only: Prisma's Wasm schema engine leaves a
// 10 s timer behind after the command has finished, which would hold every start for 10 s.
// Unref'd timers still fire while there is work; they just no longer keep the process alive.
const originalSetTimeout = global.setTimeout;
global.setTimeout = function unrefSetTimeout(...args) {
  const timer = originalSetTimeout(...args);
  if (timer && typeof timer.unref === 'function') timer.unref();
  return timer;
};
