// `npm run seed:demo`: demo data into DATABASE_URL (or the embedded database in DATA_DIR).
import { migrateDatabase, openDatabase } from '../client.ts';
import { countUsers } from '../../core/users/users.usecases.ts';
import { demoLogins, demoPassword, seedDemo } from './demo.seed.ts';

const database = await openDatabase({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR ?? 'data' });
try {
  await migrateDatabase(database);
  if ((await countUsers(database.db)) > 0) {
    console.error('This database already has users; demo data goes only into an empty one.');
    process.exitCode = 1;
  } else {
    await seedDemo(database.db);
    console.log(`Seeded. Sign in as ${demoLogins.admin}, manager1@demo.local or rep1@demo.local with password ${demoPassword}.`);
  }
} finally {
  await database.close();
}
