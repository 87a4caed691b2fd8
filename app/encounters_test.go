package app_test

import (
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

func TestEncountersCountWithinOneAcademicYear(t *testing.T) {
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, app.London) }
	var school app.Organisation

	school.CountEncounter(at(2026, time.November, 3), at(2026, time.November, 3))
	school.CountEncounter(at(2027, time.July, 20), at(2027, time.July, 21))
	if got := school.Encounters(at(2027, time.August, 31)); got != 2 {
		t.Fatalf("encounters on 31 August 2027 = %d, want 2 from the same school year", got)
	}
	if got := school.Encounters(at(2027, time.September, 1)); got != 0 {
		t.Fatalf("encounters on 1 September 2027 = %d, want 0 in a new school year", got)
	}

	school.CountEncounter(at(2027, time.July, 22), at(2027, time.September, 2))
	if school.Encounters(at(2027, time.September, 2)) != 0 {
		t.Fatal("a July encounter recorded in September counted in the new school year")
	}

	school.CountEncounter(at(2027, time.September, 15), at(2027, time.September, 15))
	if school.EncountersThisYear != 1 || school.EncountersYear != 2027 {
		t.Fatalf("after the first encounter of 2027/28: %d in %d, want 1 in 2027",
			school.EncountersThisYear, school.EncountersYear)
	}
}
