package app

import (
	"fmt"
	"sync"
	"time"
)

// Bookings, waitlist entries, organisations and users are written whole,
// and a whole-document write can lose a concurrent writer's change, so the
// booking service serialises the writes to one record inside the process
// with a keyed lock. Capacity never depends on these locks: it is held by
// the store's unique place claims, which stay exact across processes.
//
// The tables live for the process, but hold an entry only while someone
// uses it, or, for session gates, until it has been idle for gateIdle.
// Keys start with the Service's address, so that two Services in one
// process (as tests run them, standing for two app instances) share
// nothing, just as two processes would not.
var (
	recordLocks  = &lockTable[*sync.Mutex]{fresh: func() *sync.Mutex { return new(sync.Mutex) }}
	sessionGates = &lockTable[*sessionGate]{fresh: newSessionGate, idle: gateIdle}
)

// gateIdle is how long a session gate, and what it knows of the session's
// places, outlives its last use.
const gateIdle = 30 * time.Second

// Kinds of record the booking service locks.
const (
	lockBooking  = "booking"
	lockWaitlist = "waitlist"
	lockOrg      = "org"
	lockUser     = "user"
	lockIdem     = "idempotency"
	lockSession  = "session-waitlist"
)

// lockTable hands out one value per key, counting its users so that the
// entry goes once the last one is done, or once it has been idle for idle.
type lockTable[T any] struct {
	mu      sync.Mutex
	entries map[string]*lockEntry[T]
	fresh   func() T
	idle    time.Duration
	pruned  time.Time
}

type lockEntry[T any] struct {
	users int
	value T
	used  time.Time
}

// acquire returns the key's value, making it when there is none.
func (t *lockTable[T]) acquire(key string) T {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.entries == nil {
		t.entries = map[string]*lockEntry[T]{}
	}
	t.prune()

	e, ok := t.entries[key]
	if !ok {
		e = &lockEntry[T]{value: t.fresh()}
		t.entries[key] = e
	}
	e.users++
	return e.value
}

// release says one user of the key is done with it.
func (t *lockTable[T]) release(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.entries[key]
	if e == nil {
		return
	}
	e.users--
	e.used = time.Now()
	if e.users == 0 && t.idle == 0 {
		delete(t.entries, key)
	}
}

// prune drops entries idle for longer than idle, at most once per idle.
func (t *lockTable[T]) prune() {
	now := time.Now()
	if t.idle == 0 || now.Sub(t.pruned) < t.idle {
		return
	}

	for key, e := range t.entries {
		if e.users == 0 && now.Sub(e.used) > t.idle {
			delete(t.entries, key)
		}
	}
	t.pruned = now
}

// lockKey names one record of this Service in the lock tables.
func (s *Service) lockKey(kind, id string) string {
	return fmt.Sprintf("%p/%s/%s", s, kind, id)
}

// lock takes this process's lock on one record and returns its unlock.
func (s *Service) lock(kind, id string) func() {
	key := s.lockKey(kind, id)
	mu := recordLocks.acquire(key)
	mu.Lock()
	return func() {
		mu.Unlock()
		recordLocks.release(key)
	}
}

// sessionGate coordinates this process's claims on one session's places.
//
// The store's unique place claims keep capacity exact whatever happens;
// the gate only keeps this process's attempts out of each other's way.
// It remembers which places the process knows are taken (read from the
// store when the gate is made, then learnt from every claim, conflict and
// release) and which an attempt is claiming right now, and hands each
// attempt all the places it wants at once or none. So attempts in one
// process never take part of what they need and then give it back, which
// could leave places unsold while bookers were told the session was full;
// and an attempt is refused only when no other is still claiming, so a
// refusal is final. Claims made by other processes show up as conflicts
// and are learnt. Before refusing, an attempt has the places read again
// (attempts refused together share one read), so that places another
// process gave back are not missed.
//
// The gate also coalesces recounts of the session's places taken.
type sessionGate struct {
	// load is held while the taken places are read from the store. Reads
	// are numbered as they start; lastRead is the latest that ended well.
	load     sync.Mutex
	started  int
	lastRead int

	mu      sync.Mutex
	changed sync.Cond    // signalled when a claim attempt ends
	taken   map[int]bool // places this process knows are claimed
	trying  map[int]bool // places an attempt is claiming now
	early   map[int]bool // places given back while a read was under way

	recount       sync.Mutex
	recountQueued bool // a recount waits that has not read the claims yet
}

func newSessionGate() *sessionGate {
	g := &sessionGate{taken: map[int]bool{}, trying: map[int]bool{}, early: map[int]bool{}}
	g.changed.L = &g.mu
	return g
}

// pick hands out want places that are neither taken nor being claimed,
// marking them as being claimed. When there are too few it waits while
// other attempts are claiming (they may give places back), and then
// answers none, with how many places are left.
func (g *sessionGate) pick(capacity, want int) ([]int, int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for {
		var free []int

		for p := 1; p <= capacity && len(free) < want; p++ {
			if !g.taken[p] && !g.trying[p] {
				free = append(free, p)
			}
		}
		if len(free) == want {
			for _, p := range free {
				g.trying[p] = true
			}
			return free, 0
		}
		if len(g.trying) == 0 {
			return nil, g.left(capacity)
		}
		g.changed.Wait()
	}
}

// left counts the places not known to be taken.
func (g *sessionGate) left(capacity int) int {
	n := 0
	for p := 1; p <= capacity; p++ {
		if !g.taken[p] {
			n++
		}
	}
	return n
}

// tried ends the claiming of picked places: those in taken were claimed
// (by this attempt or, as a conflict showed, by someone else); the rest
// are free again.
func (g *sessionGate) tried(picked, taken []int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, p := range picked {
		delete(g.trying, p)
	}
	for _, p := range taken {
		g.taken[p] = true
	}
	g.changed.Broadcast()
}

// count returns how many of places 1..capacity are known to be taken.
func (g *sessionGate) count(capacity int) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for p := range g.taken {
		if p <= capacity {
			n++
		}
	}
	return n
}

// reads returns how many reads of the taken places have started.
func (g *sessionGate) reads() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.started
}

// startRead numbers a read of the taken places as it starts.
func (g *sessionGate) startRead() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.started++
	return g.started
}

// freed records places given back.
func (g *sessionGate) freed(places []int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, p := range places {
		delete(g.taken, p)
		if g.started > g.lastRead {
			g.early[p] = true
		}
	}
	g.changed.Broadcast()
}

// learn records the places read number read found taken, in place of
// what the gate knew. A place given back while the store was read may
// have been read as taken; it is left free, and a claim of it finds out
// if someone else has it. A place claimed here while the store was read
// may be missed the same way, and is found by its conflict.
func (g *sessionGate) learn(owners map[int]string, read int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.taken = make(map[int]bool, len(owners))
	for p := range owners {
		if !g.early[p] {
			g.taken[p] = true
		}
	}
	g.lastRead, g.early = read, map[int]bool{}
}

// queueRecount reports whether the caller should recount: not when a
// recount already waits that has not read the claims yet, because it will
// read them after the caller's changes.
func (g *sessionGate) queueRecount() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.recountQueued {
		return false
	}
	g.recountQueued = true
	return true
}

// startRecount takes the recount lock for a queued recount, which from now
// on reads the claims afresh.
func (g *sessionGate) startRecount() {
	g.recount.Lock()
	g.mu.Lock()
	g.recountQueued = false
	g.mu.Unlock()
}
