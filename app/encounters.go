package app

import "time"

// AcademicYear names the school year that t falls in by the calendar year
// it starts in: from 1 September 2026 to 31 August 2027 is 2026.
func AcademicYear(t time.Time) int {
	t = t.In(London)
	if t.Month() >= time.September {
		return t.Year()
	}
	return t.Year() - 1
}

// Encounters returns how many delivered encounters the organisation has
// had in the academic year of now; a count kept for an earlier year is 0.
func (o *Organisation) Encounters(now time.Time) int {
	if o.EncountersYear != AcademicYear(now) {
		return 0
	}
	return o.EncountersThisYear
}

// CountEncounter adds one delivered encounter, held at time held, to the
// count of the academic year of now, starting the count again in a new
// academic year. The count keeps the current year only, so an encounter
// held in an earlier year and recorded late adds nothing to it.
func (o *Organisation) CountEncounter(held, now time.Time) {
	if AcademicYear(held) != AcademicYear(now) {
		return
	}
	o.EncountersThisYear = o.Encounters(now) + 1
	o.EncountersYear = AcademicYear(now)
}
