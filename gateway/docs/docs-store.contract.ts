/**
 * The contract every DocsStore adapter keeps. Each adapter's test file runs this suite with a
 * factory for a fresh, empty store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newDocId } from './doc-id.ts';
import { DocExistsError, type DocsStore } from './docs-store.ts';

export function describeDocsStoreContract(name: string, makeStore: () => Promise<DocsStore>) {
  describe(`DocsStore contract: ${name}`, () => {
    let store: DocsStore;
    // Users are named afresh for every test, so that a store shared between tests (one
    // database per test file) still looks empty to each of them.
    let ada: string;
    let bob: string;

    beforeEach(async () => {
      store = await makeStore();
      await store.init();
      ada = `ada-${newDocId()}`;
      bob = `bob-${newDocId()}`;
    });

    afterEach(async () => {
      await store.close();
    });

    it('creates a document whose owner is the only user with a role', async () => {
      const id = newDocId();
      const created = await store.create({ id, title: 'Notes', owner: ada });

      const read = await store.get(id);

      expect(read).toEqual(created);
      expect(read).toMatchObject({
        id,
        title: 'Notes',
        owner: ada,
        acl: { [ada]: 'owner' },
        head: 0,
      });
      expect(read!.createdAt).toBeGreaterThan(0);
    });

    it('refuses to create a document whose id is taken', async () => {
      const id = newDocId();
      await store.create({ id, title: 'first', owner: ada });

      await expect(store.create({ id, title: 'second', owner: bob })).rejects.toBeInstanceOf(
        DocExistsError,
      );
      expect((await store.get(id))!.owner).toBe(ada);
    });

    it('answers null for a document that does not exist', async () => {
      expect(await store.get(newDocId())).toBeNull();
      expect(await store.setRole(newDocId(), bob, 'viewer')).toBeNull();
    });

    it('grants, changes and takes away roles', async () => {
      const id = newDocId();
      await store.create({ id, title: '', owner: ada });

      expect((await store.setRole(id, bob, 'viewer'))!.acl).toEqual({
        [ada]: 'owner',
        [bob]: 'viewer',
      });
      expect((await store.setRole(id, bob, 'editor'))!.acl).toEqual({
        [ada]: 'owner',
        [bob]: 'editor',
      });
      expect((await store.setRole(id, bob, null))!.acl).toEqual({ [ada]: 'owner' });
      expect((await store.get(id))!.acl).toEqual({ [ada]: 'owner' });
    });

    it('keeps user ids with dots, dollars and percent signs intact', async () => {
      const id = newDocId();
      const user = `$${ada}.lovelace%40example.org`;
      await store.create({ id, title: '', owner: user });
      await store.setRole(id, `${bob}.b`, 'editor');

      expect((await store.get(id))!.acl).toEqual({ [user]: 'owner', [`${bob}.b`]: 'editor' });
      expect((await store.listForUser(user, 10)).map((d) => d.id)).toEqual([id]);
    });

    it('lists the documents a user has a role on, most recently updated first', async () => {
      const [a, b, c] = [newDocId(), newDocId(), newDocId()];
      await store.create({ id: a, title: 'a', owner: ada });
      await tick();
      await store.create({ id: b, title: 'b', owner: bob });
      await tick();
      await store.create({ id: c, title: 'c', owner: ada });
      await tick();
      await store.setRole(b, ada, 'viewer');

      expect((await store.listForUser(ada, 10)).map((d) => d.id)).toEqual([b, c, a]);
      expect((await store.listForUser(ada, 2)).map((d) => d.id)).toEqual([b, c]);
      expect(await store.listForUser(`nobody-${newDocId()}`, 10)).toEqual([]);
    });

    it('stops listing a document once the role is taken away', async () => {
      const id = newDocId();
      await store.create({ id, title: '', owner: ada });
      await store.setRole(id, bob, 'editor');
      await store.setRole(id, bob, null);

      expect(await store.listForUser(bob, 10)).toEqual([]);
    });

    it('can be initialised more than once', async () => {
      await store.init();
      const id = newDocId();
      await store.create({ id, title: '', owner: ada });
      expect(await store.get(id)).not.toBeNull();
    });
  });
}

/** Lets the clock move on, so that timestamps taken before and after differ. */
function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 3));
}
