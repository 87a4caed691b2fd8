package app

import (
	"sort"
	"time"
)

// London is the Europe/London time zone in which sessions are entered and
// shown. The tz database is embedded by cmd/encounters (time/tzdata).
var London = mustLoad("Europe/London")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("time zone " + name + " missing: " + err.Error())
	}
	return loc
}

func sortSessions(s []Session) {
	sort.Slice(s, func(i, j int) bool { return s[i].Start.Before(s[j].Start) })
}
