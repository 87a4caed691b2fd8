package app

import (
	"context"
	"fmt"
	"io"
)

// SchoolRow is one row of a schools file, read by a package that knows the
// file's layout (app/gias). Either School is set, or Problem says in plain
// English why the row cannot be used ("URN is missing").
type SchoolRow struct {
	// Line is the row's line number in the file; the header is line 1.
	Line int
	// School is the establishment as the file describes it: ID, URN, Name,
	// Kind, Status and Postcode (normalised) are always set. Location and
	// IMDDecile are left for the import to find. Descriptive fields the
	// file leaves blank (Phase, SchoolType, ages, dates, LocalAuth, LSOA,
	// Website) are unknown, not cleared.
	School *Organisation
	// RuralKnown says whether the file gave School.Rural.
	RuralKnown bool
	// Problem is why the row was rejected; empty when School is set.
	Problem string
}

// SchoolRows yields the rows of a schools file in order. Next returns false
// at the end; Err then reports whether the file itself could not be read
// (a bad row is a Problem, never an Err).
type SchoolRows interface {
	Next() (SchoolRow, bool)
	Err() error
}

// Reject is a row an import could not use.
type Reject struct {
	Line   int
	Reason string
}

// ImportSummary counts what an import did with each row it read.
type ImportSummary struct {
	Read      int
	Created   int
	Updated   int
	Unchanged int
	Rejected  int
	Rejects   []Reject
}

// String gives the counts on one line, as the import command prints them:
// "read=488 created=488 updated=0 unchanged=0 rejected=0".
func (s ImportSummary) String() string {
	return fmt.Sprintf("read=%d created=%d updated=%d unchanged=%d rejected=%d",
		s.Read, s.Created, s.Updated, s.Unchanged, s.Rejected)
}

// importProgressEvery is how many rows pass between progress lines.
const importProgressEvery = 100

// ImportSchools creates or updates one organisation per school row, keyed
// by URN (ID SchoolID(URN)), so that importing the same file again changes
// nothing. Each school is placed by its postcode through s.Places; one
// placed only by its outcode is noted in progress, and one that cannot be
// placed at all is rejected. Closed schools are kept, with Status closed.
//
// A row that gives the school's LSOA sets LSOA and, when s.Places also
// implements Deprivation and knows that LSOA, IMDDecile; otherwise
// IMDDecile stays as it was.
//
// An existing record keeps what the import does not own: Verified,
// Claimed, EncountersThisYear, Demo, CreatedAt, a Website already set,
// and any descriptive field the file leaves blank. A record is written
// only when something changed. Rejected rows leave their record
// untouched and the import goes on; progress gets a line for each
// ("line 17: URN is missing") and a count every 100 rows. A storage
// failure or a file that cannot be read stops the import; the summary
// then counts the rows done so far.
//
// A closed school stays closed: Get Information About Schools gives a school
// that reopens a new URN, so a row that says open for a URN stored as
// closed comes from an older file and is not allowed to reopen it.
func (s *Service) ImportSchools(ctx context.Context, rows SchoolRows, progress io.Writer) (ImportSummary, error) {
	return s.importSchools(ctx, rows, progress, false)
}

// ImportNewSchools is ImportSchools that only creates schools not yet
// stored and counts the rest as unchanged, leaving them exactly as they
// are. First start and the demo seed use it with the shipped 2022 file, so
// that they never overwrite a newer file a person imported.
func (s *Service) ImportNewSchools(ctx context.Context, rows SchoolRows, progress io.Writer) (ImportSummary, error) {
	return s.importSchools(ctx, rows, progress, true)
}

func (s *Service) importSchools(ctx context.Context, rows SchoolRows, progress io.Writer,
	onlyNew bool) (ImportSummary, error) {
	var sum ImportSummary
	if s.Places == nil {
		return sum, Errorf(EInternal, "import schools: no gazetteer configured")
	}
	if progress == nil {
		progress = io.Discard
	}

	for {
		if err := ctx.Err(); err != nil {
			return sum, fmt.Errorf("import schools: %w", err)
		}
		row, ok := rows.Next()
		if !ok {
			break
		}
		sum.Read++
		if err := s.importSchoolRow(ctx, row, &sum, progress, onlyNew); err != nil {
			return sum, err
		}
		if sum.Read%importProgressEvery == 0 {
			progressf(progress, "%d rows read: %d created, %d updated, %d unchanged, %d rejected",
				sum.Read, sum.Created, sum.Updated, sum.Unchanged, sum.Rejected)
		}
	}

	if err := rows.Err(); err != nil {
		return sum, fmt.Errorf("import schools: %w", err)
	}
	return sum, nil
}

// importSchoolRow places, merges and saves one row, counting the outcome.
func (s *Service) importSchoolRow(ctx context.Context, row SchoolRow, sum *ImportSummary,
	progress io.Writer, onlyNew bool) error {
	reject := func(reason string) {
		sum.Rejected++
		sum.Rejects = append(sum.Rejects, Reject{Line: row.Line, Reason: reason})
		progressf(progress, "line %d: %s", row.Line, reason)
	}
	if row.School == nil {
		reject(row.Problem)
		return nil
	}

	in := *row.School
	_, loc, err := s.Places.Postcode(ctx, in.Postcode)
	if ErrorCode(err) == EInvalid {
		reject(ErrorMessage(err))
		return nil
	}
	if err != nil {
		return fmt.Errorf("import school %s: place postcode: %w", in.ID, err)
	}
	in.Location = loc
	s.lookUpDeprivation(&in)
	if loc.Precision == PrecisionOutcode {
		progressf(progress, "line %d: URN %s: postcode %s is not in Code-Point Open, "+
			"so it is placed at the centre of %s", row.Line, in.URN, in.Postcode, Outcode(in.Postcode))
	}

	old, err := s.Store.GetOrg(ctx, in.ID)
	switch {
	case ErrorCode(err) == ENotFound:
		return s.createSchool(ctx, &in, sum)
	case err != nil:
		return fmt.Errorf("import school %s: %w", in.ID, err)
	case onlyNew:
		sum.Unchanged++
		return nil
	}

	if old.Status == OrgClosed && in.Status != OrgClosed {
		progressf(progress, "line %d: URN %s is closed here and open in this file, which must be older: "+
			"it stays closed", row.Line, in.URN)
		in.Status, in.CloseDate = OrgClosed, old.CloseDate
	}
	merged := mergeSchool(old, &in, row.RuralKnown)
	if merged == *old {
		sum.Unchanged++
		return nil
	}
	merged.UpdatedAt = s.now()
	if err := s.Store.UpsertOrg(ctx, &merged); err != nil {
		return fmt.Errorf("import school %s: %w", in.ID, err)
	}
	sum.Updated++
	return nil
}

// createSchool adds a school not seen before. Another import creating the
// same school at the same moment makes this one fail with EConflict.
func (s *Service) createSchool(ctx context.Context, o *Organisation, sum *ImportSummary) error {
	o.CreatedAt = s.now()
	o.UpdatedAt = o.CreatedAt
	if err := s.Store.CreateOrg(ctx, o); err != nil {
		return fmt.Errorf("import school %s: %w", o.ID, err)
	}
	sum.Created++
	return nil
}

// mergeSchool returns old with the fields the import owns taken from in.
// Fields the file left blank keep their old values; Kind follows
// SchoolType, so it too is kept when the file gives no type.
func mergeSchool(old, in *Organisation, ruralKnown bool) Organisation {
	m := *old
	m.Name = in.Name
	m.URN = in.URN
	m.Town = in.Town
	m.Postcode = in.Postcode
	m.Location = in.Location
	m.Status = in.Status
	m.Source = in.Source

	if in.SchoolType != "" || !old.Kind.Learners() {
		m.Kind = in.Kind
	}
	keepKnown(&m.SchoolType, in.SchoolType)
	keepKnown(&m.Phase, in.Phase)
	keepKnown(&m.OpenDate, in.OpenDate)
	keepKnown(&m.CloseDate, in.CloseDate)
	keepKnown(&m.LocalAuth, in.LocalAuth)
	keepKnown(&m.LowAge, in.LowAge)
	keepKnown(&m.HighAge, in.HighAge)
	keepKnown(&m.LSOA, in.LSOA)
	keepKnown(&m.IMDDecile, in.IMDDecile)
	if m.Website == "" {
		m.Website = in.Website
	}
	if ruralKnown {
		m.Rural = in.Rural
	}
	return m
}

// keepKnown sets *dst to v unless v is the zero value, which a schools file
// uses for "not known".
func keepKnown[T comparable](dst *T, v T) {
	var zero T
	if v != zero {
		*dst = v
	}
}

// progressf writes one progress line. Progress is advisory: a reader that has
// gone away must not stop an import half way, so write errors are dropped.
func progressf(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format+"\n", args...)
}
