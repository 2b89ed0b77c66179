import { and, asc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.ts';
import { leadTags, tagGroups, tags } from '../../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { TagGroupInput, TagInput, TagPatch } from './tags.schemas.ts';

export interface TagView {
  id: string;
  groupId: string;
  name: string;
  position: number;
  /** How many leads carry it. */
  leadCount: number;
}

export interface TagGroupView {
  id: string;
  name: string;
  position: number;
  tags: TagView[];
}

/** Every group with its tags, in display order. */
export async function listTagGroups(db: Db): Promise<TagGroupView[]> {
  const [groups, tagRows] = await Promise.all([
    db.select({ id: tagGroups.id, name: tagGroups.name, position: tagGroups.position }).from(tagGroups).orderBy(asc(tagGroups.position), asc(tagGroups.name)),
    db
      .select({
        id: tags.id,
        groupId: tags.groupId,
        name: tags.name,
        position: tags.position,
        leadCount: sql<number>`(select count(*) from lead_tags lt where lt.tag_id = ${tags.id})::int`.mapWith(Number),
      })
      .from(tags)
      .orderBy(asc(tags.position), asc(tags.name)),
  ]);
  return groups.map((g) => ({ ...g, tags: tagRows.filter((t) => t.groupId === g.id) }));
}

/** A unique violation raced past the check: answer it as the check would have. */
function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code === '23505') return true;
  return false;
}

async function groupView(db: Db, id: string): Promise<TagGroupView> {
  const group = (await listTagGroups(db)).find((g) => g.id === id);
  if (!group) throw new AppError('tags.group_not_found', { id });
  return group;
}

async function assertGroupNameFree(db: Db, name: string, exceptId?: string) {
  const [taken] = await db.select({ id: tagGroups.id }).from(tagGroups).where(exceptId ? and(eq(tagGroups.name, name), ne(tagGroups.id, exceptId)) : eq(tagGroups.name, name));
  if (taken) throw new AppError('tags.group_name_taken', { name });
}

export async function createTagGroup(db: Db, input: TagGroupInput): Promise<TagGroupView> {
  await assertGroupNameFree(db, input.name);
  const position = input.position ?? (await nextPosition(db, sql`tag_groups`));
  try {
    const [row] = await db.insert(tagGroups).values({ name: input.name, position }).returning();
    return { id: row!.id, name: row!.name, position: row!.position, tags: [] };
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('tags.group_name_taken', { name: input.name });
    throw err;
  }
}

export async function updateTagGroup(db: Db, id: string, input: TagGroupInput): Promise<TagGroupView> {
  await assertGroupNameFree(db, input.name, id);
  const [row] = await db.update(tagGroups).set(input).where(eq(tagGroups.id, id)).returning({ id: tagGroups.id });
  if (!row) throw new AppError('tags.group_not_found', { id });
  return groupView(db, id);
}

/** Deletes an empty group; a group with tags stays (its tags would vanish from leads). */
export async function deleteTagGroup(db: Db, id: string): Promise<void> {
  const [inGroup] = await db.select({ id: tags.id }).from(tags).where(eq(tags.groupId, id)).limit(1);
  if (inGroup) throw new AppError('tags.group_not_empty', { id });
  const [row] = await db.delete(tagGroups).where(eq(tagGroups.id, id)).returning({ id: tagGroups.id });
  if (!row) throw new AppError('tags.group_not_found', { id });
}

async function nextPosition(db: Db, table: SQL, where: SQL = sql`true`): Promise<number> {
  const [row] = rowsOf<{ next: number }>(await db.execute(sql`select coalesce(max(position) + 1, 0)::int as next from ${table} where ${where}`));
  return Number(row?.next ?? 0);
}

async function assertTagNameFree(db: Db, groupId: string, name: string, exceptId?: string) {
  const same = and(eq(tags.groupId, groupId), eq(tags.name, name));
  const [taken] = await db.select({ id: tags.id }).from(tags).where(exceptId ? and(same, ne(tags.id, exceptId)) : same);
  if (taken) throw new AppError('tags.name_taken', { name });
}

export async function createTag(db: Db, input: TagInput): Promise<TagView> {
  const [group] = await db.select({ id: tagGroups.id }).from(tagGroups).where(eq(tagGroups.id, input.groupId));
  if (!group) throw new AppError('request.invalid', { fields: { groupId: ['unknown_tag_group'] } });
  await assertTagNameFree(db, input.groupId, input.name);
  const position = input.position ?? (await nextPosition(db, sql`tags`, sql`group_id = ${input.groupId}`));
  try {
    const [row] = await db.insert(tags).values({ groupId: input.groupId, name: input.name, position }).returning();
    return { id: row!.id, groupId: row!.groupId, name: row!.name, position: row!.position, leadCount: 0 };
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('tags.name_taken', { name: input.name });
    throw err;
  }
}

export async function updateTag(db: Db, id: string, patch: TagPatch): Promise<TagView> {
  const [current] = await db.select().from(tags).where(eq(tags.id, id));
  if (!current) throw new AppError('tags.not_found', { id });
  if (patch.name !== undefined) await assertTagNameFree(db, current.groupId, patch.name, id);
  await db.update(tags).set(patch).where(eq(tags.id, id));
  const group = await groupView(db, current.groupId);
  return group.tags.find((t) => t.id === id)!;
}

/** Deletes a tag no lead carries; one in use stays, so no lead loses a tag silently. */
export async function deleteTag(db: Db, id: string): Promise<void> {
  const [used] = await db.select({ count: sql<number>`count(*)::int`.mapWith(Number) }).from(leadTags).where(eq(leadTags.tagId, id));
  if (used && used.count > 0) throw new AppError('tags.in_use', { id, leadCount: used.count });
  const [row] = await db.delete(tags).where(eq(tags.id, id)).returning({ id: tags.id });
  if (!row) throw new AppError('tags.not_found', { id });
}

export interface TagRef {
  id: string;
  name: string;
  groupId: string;
  groupName: string;
}

/** The tags with these ids (with their group); unknown ids are left out. */
export async function findTags(db: Db, ids: string[]): Promise<TagRef[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: tags.id, name: tags.name, groupId: tags.groupId, groupName: tagGroups.name })
    .from(tags)
    .innerJoin(tagGroups, eq(tagGroups.id, tags.groupId))
    .where(inArray(tags.id, ids));
}

/** The ids as tags, or a 422 naming `field` when one is unknown. */
export async function resolveTags(db: Db, ids: string[], field: string): Promise<TagRef[]> {
  const unique = [...new Set(ids)];
  const found = await findTags(db, unique);
  if (found.length !== unique.length) {
    const unknown = unique.filter((id) => !found.some((t) => t.id === id));
    throw new AppError('request.invalid', { fields: { [field]: ['unknown_tag'] }, unknown });
  }
  return found;
}
