// Package meili is the production search engine: an index on a Meilisearch
// server, reached through meilisearch-go. It implements search.Index.
package meili

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/encounters/encounters/search"
)

// setupTimeout bounds New: the health check, creating the index and
// applying its settings, which rebuilds an index that already holds offers.
const setupTimeout = 2 * time.Minute

// taskPoll is how often a write checks whether its task has finished.
const taskPoll = 20 * time.Millisecond

// Index is one Meilisearch index of offers. Every write waits for its task
// to finish, so the next Search sees it. It is safe for concurrent use.
type Index struct {
	client meilisearch.ServiceManager
	index  meilisearch.IndexManager
	uid    string
}

var _ search.Index = (*Index)(nil)

// New connects to the Meilisearch server at url with apiKey (which may be
// empty), creates the index indexName when it is missing and applies the
// settings offers need: searchable, filterable and sortable attributes,
// ranking rules and typo tolerance. An index holding records of an older
// shape is emptied: Count then reports 0 and the caller should reindex.
func New(url, apiKey, indexName string) (*Index, error) {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()

	var opts []meilisearch.Option
	if apiKey != "" {
		opts = append(opts, meilisearch.WithAPIKey(apiKey))
	}
	client := meilisearch.New(url, opts...)
	i := &Index{client: client, index: client.Index(indexName), uid: indexName}
	if err := i.setUp(ctx); err != nil {
		client.Close()
		return nil, fmt.Errorf("set up meilisearch index %s: %w", indexName, err)
	}
	return i, nil
}

func (i *Index) setUp(ctx context.Context) error {
	if err := i.Ping(ctx); err != nil {
		return err
	}

	task, err := i.client.CreateIndex(ctx, &meilisearch.IndexConfig{Uid: i.uid, PrimaryKey: "id"})
	err = i.wait(ctx, task, err)
	var apiErr *taskError
	if err != nil && !(errors.As(err, &apiErr) && apiErr.code == meilisearch.APIErrCodeIndexAlreadyExists) {
		return fmt.Errorf("create index: %w", err)
	}

	task, err = i.index.UpdateSettings(ctx, indexSettings())
	if err := i.wait(ctx, task, err); err != nil {
		return fmt.Errorf("update settings: %w", err)
	}
	return i.dropOlderRecords(ctx)
}

// dropOlderRecords empties the index when it holds a record written before
// records said whether they have a location: distance filters would leave
// such an offer out even when it is virtual. The index holds only what the
// store holds, and the caller reindexes it from there once it is empty.
func (i *Index) dropOlderRecords(ctx context.Context) error {
	resp, err := i.index.Search(ctx, "", &meilisearch.SearchRequest{
		Filter:               attrLocated + " NOT EXISTS",
		Limit:                1,
		AttributesToRetrieve: []string{"id"},
	})
	if err != nil {
		return fmt.Errorf("look for older records: %w", err)
	}

	if len(resp.Hits) == 0 {
		return nil
	}
	return i.Reset(ctx)
}

// taskError is a Meilisearch task that finished without succeeding.
type taskError struct {
	uid     int64
	status  meilisearch.TaskStatus
	code    meilisearch.APIErrCode
	message string
}

// Error says which task failed and why.
func (e *taskError) Error() string {
	return fmt.Sprintf("task %d %s: %s (%s)", e.uid, e.status, e.message, e.code)
}

// wait waits for the task a call enqueued; err is the call's own error.
func (i *Index) wait(ctx context.Context, info *meilisearch.TaskInfo, err error) error {
	if err != nil {
		return err
	}

	task, err := i.client.WaitForTask(ctx, info.TaskUID, taskPoll)
	if err != nil {
		return fmt.Errorf("wait for task %d: %w", info.TaskUID, err)
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return &taskError{uid: info.TaskUID, status: task.Status, code: task.Error.Code, message: task.Error.Message}
	}
	return nil
}

// Name is "meilisearch".
func (i *Index) Name() string { return "meilisearch" }

// Upsert adds or replaces documents by ID, and waits until they are searchable.
func (i *Index) Upsert(ctx context.Context, docs ...search.Document) error {
	if len(docs) == 0 {
		return ctx.Err()
	}
	records := make([]record, len(docs))
	for n, d := range docs {
		if d.ID == "" {
			return errors.New("meilisearch upsert: document has no id")
		}
		records[n] = newRecord(d)
	}

	primaryKey := "id"
	task, err := i.index.AddDocuments(ctx, records, &meilisearch.DocumentOptions{PrimaryKey: &primaryKey})
	if err := i.wait(ctx, task, err); err != nil {
		return fmt.Errorf("meilisearch upsert: %w", err)
	}
	return nil
}

// Delete removes documents by ID; missing ids are not an error.
func (i *Index) Delete(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return ctx.Err()
	}

	task, err := i.index.DeleteDocuments(ctx, ids, nil)
	if err := i.wait(ctx, task, err); err != nil {
		return fmt.Errorf("meilisearch delete: %w", err)
	}
	return nil
}

// Reset deletes every document, keeping the index and its settings.
func (i *Index) Reset(ctx context.Context) error {
	task, err := i.index.DeleteAllDocuments(ctx, nil)
	if err := i.wait(ctx, task, err); err != nil {
		return fmt.Errorf("meilisearch reset: %w", err)
	}
	return nil
}

// Count returns how many documents the index holds.
func (i *Index) Count(ctx context.Context) (int, error) {
	stats, err := i.index.GetStats(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("meilisearch count: %w", err)
	}
	return int(stats.NumberOfDocuments), nil
}

// Ping reports whether the server answers and is available.
func (i *Index) Ping(ctx context.Context) error {
	h, err := i.client.Health(ctx)
	if err != nil {
		return fmt.Errorf("meilisearch health: %w", err)
	}

	if h.Status != "available" {
		return fmt.Errorf("meilisearch health: status %q", h.Status)
	}
	return nil
}

// Close releases idle connections. The server keeps the index.
func (i *Index) Close() error {
	i.client.Close()
	return nil
}

// Drop deletes the whole index from the server, settings and all. Tests
// use it to clean up; the application never needs it.
func (i *Index) Drop(ctx context.Context) error {
	task, err := i.client.DeleteIndex(ctx, i.uid)
	if err := i.wait(ctx, task, err); err != nil {
		return fmt.Errorf("meilisearch drop index: %w", err)
	}
	return nil
}
