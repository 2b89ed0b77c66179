export * from './teams.table.ts';
export * from './users.table.ts';
export * from './exhibitions.table.ts';
export * from './leads.table.ts';
export * from './lead-events.table.ts';
export * from './settings.table.ts';
