// Package bleveindex is the embedded search engine: a Bleve index in a folder
// of the data directory, for a single machine. It implements search.Index.
package bleveindex

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"github.com/encounters/encounters/search"
)

// errClosed is returned by every call after Close, or after a failed Reset.
var errClosed = errors.New("bleve index is closed")

// Index is a Bleve index of offers. Every write is applied and persisted
// before it returns, so the next Search sees it. It is safe for concurrent
// use; Reset and Close wait for calls in flight.
type Index struct {
	dir string

	mu  sync.RWMutex
	idx bleve.Index
}

var _ search.Index = (*Index)(nil)

// Open opens the index in dir, creating it when dir is missing or empty.
// An index written by an older mapping is rebuilt empty: Count then
// reports 0 and the caller should reindex.
func Open(dir string) (*Index, error) {
	idx, err := openOrCreate(dir)
	if err != nil {
		return nil, fmt.Errorf("open bleve index %s: %w", dir, err)
	}
	return &Index{dir: dir, idx: idx}, nil
}

func openOrCreate(dir string) (bleve.Index, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(entries) == 0) {
		return create(dir)
	}
	if err != nil {
		return nil, err
	}

	idx, err := bleve.Open(dir)
	if err != nil {
		return nil, err
	}
	version, err := idx.GetInternal(schemaKey)
	if err == nil && string(version) == schemaVersion {
		return idx, nil
	}

	// An index of another shape: it holds only derived data, so rebuild it.
	if err := idx.Close(); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	return create(dir)
}

func create(dir string) (bleve.Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("build mapping: %w", err)
	}

	idx, err := bleve.New(dir, m)
	if err != nil {
		return nil, err
	}
	if err := idx.SetInternal(schemaKey, []byte(schemaVersion)); err != nil {
		_ = idx.Close()
		return nil, err
	}
	return idx, nil
}

// Name is "bleve".
func (i *Index) Name() string { return "bleve" }

// Upsert adds or replaces documents by ID in one batch.
func (i *Index) Upsert(ctx context.Context, docs ...search.Document) error {
	if len(docs) == 0 {
		return ctx.Err()
	}

	return i.use(ctx, "upsert", func(idx bleve.Index) error {
		b := idx.NewBatch()
		for _, d := range docs {
			if d.ID == "" {
				return errors.New("document has no id")
			}
			if err := b.Index(d.ID, record(d)); err != nil {
				return fmt.Errorf("document %s: %w", d.ID, err)
			}
		}
		return idx.Batch(b)
	})
}

// Delete removes documents by ID; missing ids are not an error.
func (i *Index) Delete(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return ctx.Err()
	}

	return i.use(ctx, "delete", func(idx bleve.Index) error {
		b := idx.NewBatch()
		for _, id := range ids {
			b.Delete(id)
		}
		return idx.Batch(b)
	})
}

// use runs fn on the open index under the shared lock.
func (i *Index) use(ctx context.Context, op string, fn func(bleve.Index) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}

	i.mu.RLock()
	defer i.mu.RUnlock()
	if i.idx == nil {
		return errClosed
	}
	if err := fn(i.idx); err != nil {
		return fmt.Errorf("bleve %s: %w", op, err)
	}
	return nil
}

// Count returns how many documents the index holds.
func (i *Index) Count(ctx context.Context) (int, error) {
	var n uint64
	err := i.use(ctx, "count", func(idx bleve.Index) error {
		var err error
		n, err = idx.DocCount()
		return err
	})
	return int(n), err
}

// Ping reports whether the index is open and readable.
func (i *Index) Ping(ctx context.Context) error {
	_, err := i.Count(ctx)
	return err
}

// Reset empties the index by rebuilding its folder.
func (i *Index) Reset(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.idx == nil {
		return errClosed
	}

	err := i.idx.Close()
	i.idx = nil
	if err != nil {
		return fmt.Errorf("bleve reset: close: %w", err)
	}
	if err := os.RemoveAll(i.dir); err != nil {
		return fmt.Errorf("bleve reset: remove: %w", err)
	}
	idx, err := create(i.dir)
	if err != nil {
		return fmt.Errorf("bleve reset: create: %w", err)
	}
	i.idx = idx
	return nil
}

// Close flushes and closes the index. Later calls fail.
func (i *Index) Close() error {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.idx == nil {
		return nil
	}

	err := i.idx.Close()
	i.idx = nil
	return err
}
