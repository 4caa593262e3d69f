import { defineConfig } from 'alembic-ts';

// The sample application (SPEC §9). Point DATABASE_URL at PostgreSQL or MySQL to run it there.
export default defineConfig({
  url: process.env.DATABASE_URL ?? 'sqlite:///./app.db',
  scriptLocation: 'migrations',
});
