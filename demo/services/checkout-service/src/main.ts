import { startServer } from './server';

startServer(Number(process.env.PORT ?? 8080));
