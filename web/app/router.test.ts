import { describe, expect, it } from 'vitest';
import { documentHref, documentIdIn, parseRoute } from './router.ts';

describe('parseRoute', () => {
  it('opens a document from the hash or from the path', () => {
    expect(parseRoute({ pathname: '/', hash: '#/d/Jm3x_0-K' })).toEqual({
      page: 'document',
      id: 'Jm3x_0-K',
    });
    expect(parseRoute({ pathname: '/d/Jm3x_0-K', hash: '' })).toEqual({
      page: 'document',
      id: 'Jm3x_0-K',
    });
    expect(parseRoute({ pathname: '/d/abc/', hash: '' })).toEqual({ page: 'document', id: 'abc' });
  });

  it('lets the hash win over the path', () => {
    expect(parseRoute({ pathname: '/d/abc', hash: '#/' })).toEqual({ page: 'document', id: 'abc' });
    expect(parseRoute({ pathname: '/d/abc', hash: '#/d/xyz' })).toEqual({
      page: 'document',
      id: 'xyz',
    });
  });

  it('shows the documents at the root', () => {
    expect(parseRoute({ pathname: '/', hash: '' })).toEqual({ page: 'documents' });
    expect(parseRoute({ pathname: '/', hash: '#/' })).toEqual({ page: 'documents' });
  });

  it('names what it does not know instead of guessing', () => {
    expect(parseRoute({ pathname: '/', hash: '#/d/not%20an%20id' }).page).toBe('unknown');
    expect(parseRoute({ pathname: '/', hash: '#/settings' }).page).toBe('unknown');
    expect(parseRoute({ pathname: '/', hash: '#/d/%E0%A4%A' }).page).toBe('unknown');
  });
});

describe('documentIdIn', () => {
  it('accepts a bare id, an app link or a path link', () => {
    expect(documentIdIn('  abc123  ')).toBe('abc123');
    expect(documentIdIn('http://localhost:8080/#/d/abc123')).toBe('abc123');
    expect(documentIdIn('https://collab.example.com/d/abc123')).toBe('abc123');
    expect(documentIdIn(documentHref('abc123'))).toBe('abc123');
  });

  it('refuses what is not a document', () => {
    expect(documentIdIn('http://localhost:8080/')).toBeNull();
    expect(documentIdIn('two words')).toBeNull();
  });
});
