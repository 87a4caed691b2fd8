package mongo_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
)

func newOrg(id string, kind app.OrgKind, name string, verified bool) *app.Organisation {
	return &app.Organisation{
		ID: id, Kind: kind, Name: name, Status: app.OrgOpen, Verified: verified,
		Postcode: "DH1 3LE", Location: app.Location{Lat: 54.77, Lon: -1.57, Precision: app.PrecisionPostcode},
		CreatedAt: day(1), UpdatedAt: day(1),
	}
}

func TestOrgCreateGetUpdate(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		org := newOrg("emp_1", app.KindEmployer, "Kromek Group", false)
		mustOK(t, s.CreateOrg(ctx, org))

		tests := []struct {
			name string
			run  func() error
			code string
		}{
			{"create with a taken id", func() error { return s.CreateOrg(ctx, newOrg("emp_1", app.KindSchool, "Other", false)) }, app.EConflict},
			{"get a missing id", func() error { _, err := s.GetOrg(ctx, "emp_missing"); return err }, app.ENotFound},
			{"update a missing id", func() error { return s.UpdateOrg(ctx, newOrg("emp_missing", app.KindEmployer, "X", false)) }, app.ENotFound},
			{"create with no id", func() error { return s.CreateOrg(ctx, newOrg("", app.KindEmployer, "X", false)) }, app.EInternal},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.run(), tt.code) })
		}

		t.Run("get returns what was created", func(t *testing.T) {
			got, err := s.GetOrg(ctx, "emp_1")
			mustOK(t, err)
			mustEqual(t, got, org)
		})
		t.Run("update replaces the whole record", func(t *testing.T) {
			changed := *org
			changed.Verified, changed.Website, changed.UpdatedAt = true, "https://example.org", day(2)
			mustOK(t, s.UpdateOrg(ctx, &changed))
			got, err := s.GetOrg(ctx, "emp_1")
			mustOK(t, err)
			mustEqual(t, got, &changed)
		})
	})
}

func TestOrgUpsert(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		school := newOrg(app.SchoolID("114000"), app.KindSchool, "Durham Johnston", false)

		steps := []struct {
			name string
			town string
		}{
			{"creates when missing", "Durham"},
			{"replaces when present", "Crossgate Moor"},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				school.Town = st.town
				mustOK(t, s.UpsertOrg(ctx, school))
				got, err := s.GetOrg(ctx, school.ID)
				mustOK(t, err)
				mustEqual(t, got, school)
			})
		}
	})
}

func TestOrgUpsertRace(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		const writers = 16

		errs := make([]error, writers)
		var wg sync.WaitGroup
		for i := range writers {
			wg.Go(func() {
				o := newOrg(app.SchoolID("114000"), app.KindSchool, fmt.Sprintf("School %02d", i), false)
				errs[i] = s.UpsertOrg(ctx, o)
			})
		}
		wg.Wait()

		for i, err := range errs {
			if err != nil {
				t.Errorf("writer %d: %v", i, err)
			}
		}
		got, total, err := s.ListOrgs(ctx, app.OrgFilter{})
		mustOK(t, err)
		if total != 1 || !strings.HasPrefix(got[0].Name, "School ") {
			t.Fatalf("after racing upserts: %d organisations %v, want the one school", total, orgIDs(got))
		}
	})
}

func TestGetOrgs(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		for _, id := range []string{"emp_a", "emp_b", "emp_c"} {
			mustOK(t, s.CreateOrg(ctx, newOrg(id, app.KindEmployer, id, true)))
		}

		tests := []struct {
			name string
			ids  []string
			want []string
		}{
			{"all present", []string{"emp_a", "emp_c"}, []string{"emp_a", "emp_c"}},
			{"missing ones left out", []string{"emp_b", "emp_gone"}, []string{"emp_b"}},
			{"repeats read once", []string{"emp_a", "emp_a"}, []string{"emp_a"}},
			{"none asked", nil, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.GetOrgs(ctx, tt.ids)
				mustOK(t, err)
				if len(got) != len(tt.want) {
					t.Fatalf("got %d organisations, want %d", len(got), len(tt.want))
				}
				for _, id := range tt.want {
					if got[id] == nil || got[id].ID != id {
						t.Fatalf("organisation %s missing from %v", id, got)
					}
				}
			})
		}
	})
}

func TestListOrgs(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		yes, no := true, false
		for _, o := range []*app.Organisation{
			newOrg("emp_1", app.KindEmployer, "AEL Automation", true),
			newOrg("emp_2", app.KindEmployer, "BTS Facades & Fabrications", false),
			newOrg("emp_3", app.KindEmployer, "Centre for Process Innovation", true),
			newOrg("sch_1", app.KindSchool, "St. Mary's (C of E) Primary", false),
			newOrg("sch_2", app.KindSchool, "Durham Johnston", false),
		} {
			mustOK(t, s.CreateOrg(ctx, o))
		}

		tests := []struct {
			name    string
			filter  app.OrgFilter
			wantIDs []string
			total   int
		}{
			{"everything by name", app.OrgFilter{}, []string{"emp_1", "emp_2", "emp_3", "sch_2", "sch_1"}, 5},
			{"one kind", app.OrgFilter{Kind: app.KindSchool}, []string{"sch_2", "sch_1"}, 2},
			{"verified employers", app.OrgFilter{Kind: app.KindEmployer, Verified: &yes}, []string{"emp_1", "emp_3"}, 2},
			{"unverified", app.OrgFilter{Verified: &no}, []string{"emp_2", "sch_2", "sch_1"}, 3},
			{"text in any case", app.OrgFilter{Text: "  FACADES "}, []string{"emp_2"}, 1},
			{"text with regexp characters", app.OrgFilter{Text: "mary's (c of e)"}, []string{"sch_1"}, 1},
			{"text that matches nothing", app.OrgFilter{Text: ".*"}, []string{}, 0},
			{"second page", app.OrgFilter{Offset: 2, Limit: 2}, []string{"emp_3", "sch_2"}, 5},
			{"past the end", app.OrgFilter{Offset: 10, Limit: 2}, []string{}, 5},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, total, err := s.ListOrgs(ctx, tt.filter)
				mustOK(t, err)
				if total != tt.total {
					t.Errorf("total = %d, want %d", total, tt.total)
				}
				mustEqual(t, orgIDs(got), tt.wantIDs)
			})
		}
	})
}

func orgIDs(orgs []*app.Organisation) []string {
	ids := []string{}
	for _, o := range orgs {
		ids = append(ids, o.ID)
	}
	return ids
}

func TestClaims(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		claims := []*app.Claim{
			{ID: "clm_2", OrgID: "urn-1", UserID: "usr_2", Role: "Careers leader", Status: app.ClaimPending, CreatedAt: day(2)},
			{ID: "clm_1", OrgID: "urn-2", UserID: "usr_1", Role: "Head", Status: app.ClaimPending, CreatedAt: day(1)},
			{ID: "clm_3", OrgID: "urn-3", UserID: "usr_3", Role: "Teacher", Status: app.ClaimRejected, CreatedAt: day(1)},
		}
		for _, c := range claims {
			mustOK(t, s.CreateClaim(ctx, c))
		}

		t.Run("pending, oldest first", func(t *testing.T) {
			got, err := s.ListClaims(ctx, app.ClaimPending)
			mustOK(t, err)
			mustEqual(t, got, []*app.Claim{claims[1], claims[0]})
		})
		t.Run("a decision is kept", func(t *testing.T) {
			decided := *claims[0]
			decided.Status, decided.DecidedAt, decided.DecidedBy = app.ClaimApproved, day(3), "usr_coord"
			mustOK(t, s.UpdateClaim(ctx, &decided))
			got, err := s.GetClaim(ctx, decided.ID)
			mustOK(t, err)
			mustEqual(t, got, &decided)
		})

		errs := []struct {
			name string
			run  func() error
			code string
		}{
			{"create with a taken id", func() error { return s.CreateClaim(ctx, claims[2]) }, app.EConflict},
			{"get a missing id", func() error { _, err := s.GetClaim(ctx, "clm_none"); return err }, app.ENotFound},
			{"update a missing id", func() error { return s.UpdateClaim(ctx, &app.Claim{ID: "clm_none"}) }, app.ENotFound},
		}
		for _, tt := range errs {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.run(), tt.code) })
		}
	})
}
