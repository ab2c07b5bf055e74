import { loadConfig } from '../config/config';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.PORT, config.HOST);
}

main().catch((error: Error) => {
  // ConfigError and a taken port are expected operator mistakes: one line, no stack.
  const code = (error as { code?: string }).code;
  if (error.name === 'ConfigError') console.error(error.message);
  else if (code === 'EADDRINUSE') console.error(`API port is already in use (${error.message}); set PORT to another port`);
  else console.error(error);
  process.exit(1);
});
