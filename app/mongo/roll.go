package mongo

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/encounters/encounters/app"
)

// A roll is a list that grows with one owner (an organisation's bookings,
// an event's sponsorships) kept as numbered slots: documents whose _id is
// the owner's key, "#" and 1, 2, 3... FerretDB reads each slot by _id, so
// reading a roll costs as many lookups as the owner has items, however
// many the county has; a listing collection filtered by owner would be
// scanned whole (about 1.4 s at 20,000 entries on SQLite).
//
// Slots are never deleted, and a writer takes the first free number by
// inserting (the unique _id refuses a taken one, on every engine), so the
// numbers have no gaps and a reader stops at the first missing one. A head
// document remembers roughly where the free numbers start, so a writer
// seldom tries a taken one; it is only a hint, and may lag.

// rollChunk is how many slots a reader asks for at once.
const rollChunk = 8

// rollHead is the hint of where a roll's free slots start.
type rollHead struct {
	ID   string `bson:"_id"` // collection + "/" + key
	Next int    `bson:"next"`
}

// slotID is the _id of slot n of key's roll.
func slotID(key string, n int) string { return key + "#" + strconv.Itoa(n) }

// slotNumber reads the number back from a slot's _id.
func slotNumber(id string) int {
	n, _ := strconv.Atoi(id[strings.LastIndexByte(id, '#')+1:])
	return n
}

// appendSlot writes mk(id) into the first free slot of key's roll in coll
// and returns the slot's id.
func (s *Store) appendSlot(ctx context.Context, coll, key string, mk func(id string) any) (string, error) {
	headID := coll + "/" + key
	n := 1
	head, err := getByID[rollHead](ctx, s.c(colRollHeads), headID, "roll")
	switch {
	case err == nil:
		n = max(head.Next, 1)
	case app.ErrorCode(err) != app.ENotFound:
		return "", err
	}

	id := ""
	for ; id == ""; n++ {
		_, err := s.c(coll).InsertOne(ctx, mk(slotID(key, n)))
		switch {
		case err == nil:
			id = slotID(key, n)
		case !isDuplicate(err):
			return "", fmt.Errorf("append to %s roll %s: %w", coll, key, err)
		}
	}
	return id, putDoc(ctx, s.c(colRollHeads), headID, rollHead{ID: headID, Next: n})
}

// readRoll returns every slot of key's roll in coll, in number order. On
// MongoDB one range query on _id reads them; on FerretDB, rollChunk
// lookups by _id at a time until one finds nothing.
func readRoll[E any](ctx context.Context, s *Store, coll, key string) ([]E, error) {
	if s.engine == EngineMongoDB {
		return readRollRange[E](ctx, s, coll, key)
	}

	var out []E
	for first := 1; ; first += rollChunk {
		chunk := make([]*E, rollChunk)
		err := eachConcurrently(ctx, rollChunk, rollChunk, func(ctx context.Context, i int) error {
			e, err := getByID[E](ctx, s.c(coll), slotID(key, first+i), "slot")
			if app.ErrorCode(err) == app.ENotFound {
				return nil
			}
			chunk[i] = e
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("read %s roll %s: %w", coll, key, err)
		}

		for _, e := range chunk {
			if e == nil {
				return out, nil
			}
			out = append(out, *e)
		}
	}
}

// readRollRange reads a roll with one query, for MongoDB. Slot ids sort as
// strings ("#10" before "#2"), so the caller orders by slotNumber where
// order matters.
func readRollRange[E any](ctx context.Context, s *Store, coll, key string) ([]E, error) {
	filter := bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: key + "#"}, {Key: "$lt", Value: key + "$"}}}}
	all, err := findAll[E](ctx, s.c(coll), filter, options.Find())
	if err != nil {
		return nil, err
	}

	out := make([]E, len(all))
	for i, e := range all {
		out[i] = *e
	}
	return out, nil
}
