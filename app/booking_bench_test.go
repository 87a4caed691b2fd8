package app_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/encounters/encounters/app"
)

// benchSessions publishes n offers of one 500-place session each and
// makes 64 schools to book them, all over real engines with the email
// templates; the schools have no members, so no email is written.
func benchSessions(b *testing.B, n int) (*env, []string, []*app.Actor) {
	b.Helper()
	e := newBookingEnv(b)
	employer := e.employer(b)
	ids := make([]string, n)
	for i := range ids {
		o := e.publish(b, employer, func(in *app.OfferInput) { in.Sessions[0].Places = app.MaxPlaces })
		ids[i] = o.Sessions[0].ID
	}
	schools := make([]*app.Actor, 64)
	for i := range schools {
		schools[i] = e.org(b, app.KindSchool, fmt.Sprintf("School %d", i), "", true)
	}
	return e, ids, schools
}

// runBookings books one place per iteration from parallel goroutines.
// Each goroutine books session first(), and, when a session is full,
// full(that session) instead.
func runBookings(b *testing.B, e *env, ids []string, schools []*app.Actor, first func() int, full func(int) int) {
	var booked, worker atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		school := schools[int(worker.Add(1))%len(schools)]
		cur := first()
		for pb.Next() {
			for {
				if cur >= len(ids) {
					b.Error("every session is full")
					return
				}
				_, _, err := e.svc.Book(ctx, school, ids[cur], pupils(1, 9))
				if err == nil {
					booked.Add(1)
					break
				}
				if app.ErrorCode(err) != app.EConflict {
					b.Error(err)
					return
				}
				cur = full(cur)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(booked.Load())/b.Elapsed().Seconds(), "bookings/s")
}

// BenchmarkBookHotSession books one session from every goroutine at once
// until it is full, then the next.
func BenchmarkBookHotSession(b *testing.B) {
	e, ids, schools := benchSessions(b, b.N/app.MaxPlaces+2)
	var hot atomic.Int64
	runBookings(b, e, ids, schools, func() int { return int(hot.Load()) }, func(cur int) int {
		hot.CompareAndSwap(int64(cur), int64(cur+1))
		return int(hot.Load())
	})
}

// BenchmarkBookManySessions books 32 sessions or more, each goroutine its
// own, moving on to a fresh one when it is full.
func BenchmarkBookManySessions(b *testing.B) {
	n := 32 + b.N/app.MaxPlaces
	e, ids, schools := benchSessions(b, n+32)
	var next atomic.Int64
	runBookings(b, e, ids, schools, func() int { return int(next.Add(1)) - 1 },
		func(int) int { return int(next.Add(1)) - 1 })
}
