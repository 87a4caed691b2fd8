package app

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Organisation list limits for the coordinator's pages.
const (
	defaultOrgLimit = 50
	maxOrgLimit     = 200
)

// EnsureCoordinator creates the county coordinator's organisation, id
// "coordinator", when the data folder does not have it yet.
func (s *Service) EnsureCoordinator(ctx context.Context) error {
	_, err := s.Store.GetOrg(ctx, CoordinatorOrgID)
	if ErrorCode(err) != ENotFound {
		return err
	}

	now := s.now().UTC()
	org := &Organisation{
		ID: CoordinatorOrgID, Kind: KindCoordinator, Name: "County careers coordinator",
		Status: OrgOpen, Verified: true, CreatedAt: now, UpdatedAt: now,
	}
	err = s.Store.CreateOrg(ctx, org)
	if ErrorCode(err) == EConflict {
		return nil // created meanwhile by another instance
	}
	if err != nil {
		return fmt.Errorf("create coordinator organisation: %w", err)
	}
	return nil
}

// GetOrganisation returns an organisation. Imported schools and colleges,
// verified employers and the coordinator are public; any other organisation
// is seen only by its members and the coordinator, and is ENotFound to the
// rest.
func (s *Service) GetOrganisation(ctx context.Context, a *Actor, id string) (*Organisation, error) {
	if !ValidID(id) {
		return nil, ErrNotFound("Organisation")
	}

	org, err := s.Store.GetOrg(ctx, id)
	if ErrorCode(err) == ENotFound {
		return nil, ErrNotFound("Organisation")
	}
	if err != nil {
		return nil, fmt.Errorf("get organisation: %w", err)
	}
	if !publicOrg(org) && !canSeePrivate(a, org.ID) {
		return nil, ErrNotFound("Organisation")
	}
	return org, nil
}

func publicOrg(o *Organisation) bool {
	switch {
	case o.Kind == KindCoordinator:
		return true
	case o.Kind == KindSchool || o.Kind == KindCollege:
		return o.URN != ""
	}
	return o.Verified
}

// ClaimSchool asks the coordinator to make the actor an owner of an
// imported school or college. Only a signed-in person who belongs to no
// organisation yet may claim; a school that already has an owner is
// claimed by invitation instead, and a closed one not at all (EConflict).
// The job title is optional, as at sign-up.
func (s *Service) ClaimSchool(ctx context.Context, a *Actor, orgID, jobTitle string) (*Claim, error) {
	if a == nil || a.UserID == "" {
		return nil, errSignedOut()
	}
	if a.OrgID != "" {
		return nil, Errorf(EConflict, "You are already a member of an organisation, so you cannot claim a school.")
	}
	var p Problems
	checkJobTitle(&p, jobTitle, false)
	if err := p.Err(); err != nil {
		return nil, err
	}

	school, err := s.GetOrganisation(ctx, a, orgID)
	if err != nil || !school.Kind.Learners() || school.URN == "" {
		return nil, orNotFound(err, "School")
	}
	if school.Status == OrgClosed {
		return nil, Errorf(EConflict, "%s", schoolClosed(school))
	}
	if school.Claimed {
		return nil, Errorf(EConflict, "%s already has an owner on Encounters. Ask them to invite you.", school.Name)
	}
	if err := s.checkNoPendingClaim(ctx, a.UserID); err != nil {
		return nil, err
	}

	c := &Claim{
		ID: NewID("clm"), OrgID: school.ID, UserID: a.UserID, Role: strings.TrimSpace(jobTitle),
		Status: ClaimPending, CreatedAt: s.now().UTC(),
	}
	if err := s.Store.CreateClaim(ctx, c); err != nil {
		return nil, fmt.Errorf("claim school: %w", err)
	}
	s.log().InfoContext(ctx, "school claimed", "claim_id", c.ID, "org_id", c.OrgID, "user_id", a.UserID)
	return c, nil
}

// schoolClosed says that a closed school cannot be claimed, and since when
// when the schools file says.
func schoolClosed(org *Organisation) string {
	if day, err := time.Parse(DateLayout, org.CloseDate); err == nil {
		return fmt.Sprintf("%s closed on %s, so it cannot be claimed.", org.Name, day.Format("2 January 2006"))
	}
	return fmt.Sprintf("%s has closed, so it cannot be claimed.", org.Name)
}

// orNotFound passes err on, or answers ENotFound for what when err is nil.
func orNotFound(err error, what string) error {
	if err != nil {
		return err
	}
	return ErrNotFound(what)
}

// checkNoPendingClaim refuses a second claim while one waits. The pending
// list is short: the coordinator works through it.
func (s *Service) checkNoPendingClaim(ctx context.Context, userID string) error {
	claims, err := s.Store.ListClaims(ctx, ClaimPending)
	if err != nil {
		return fmt.Errorf("list claims: %w", err)
	}

	for _, c := range claims {
		if c.UserID == userID {
			return Errorf(EConflict, "You have a claim waiting for the coordinator already.")
		}
	}
	return nil
}

// ListClaims lists the claims waiting for a decision, for the coordinator.
func (s *Service) ListClaims(ctx context.Context, a *Actor) ([]*Claim, error) {
	if err := requireCoordinator(a); err != nil {
		return nil, err
	}
	claims, err := s.Store.ListClaims(ctx, ClaimPending)
	if err != nil {
		return nil, fmt.Errorf("list claims: %w", err)
	}
	return claims, nil
}

// DecideClaim approves or rejects a pending claim, for the coordinator. An
// approved claimant becomes an owner of the school, which is then claimed
// and verified; a school that has closed since the claim was sent can
// only be rejected (EConflict). The claimant is told by email either way.
func (s *Service) DecideClaim(ctx context.Context, a *Actor, claimID string, approve bool) error {
	if err := requireCoordinator(a); err != nil {
		return err
	}
	c, err := s.getClaim(ctx, claimID)
	if err != nil {
		return err
	}
	if c.Status != ClaimPending {
		return Errorf(EConflict, "This claim has been decided already.")
	}
	u, err := s.Store.GetUser(ctx, c.UserID)
	if err != nil {
		return fmt.Errorf("claimant: %w", err)
	}
	school, err := s.Store.GetOrg(ctx, c.OrgID)
	if err != nil {
		return fmt.Errorf("claimed school: %w", err)
	}

	c.Status = ClaimRejected
	if approve {
		if err := s.approveClaim(ctx, u, school); err != nil {
			return err
		}
		c.Status = ClaimApproved
	}
	c.DecidedAt, c.DecidedBy = s.now().UTC(), a.UserID
	if err := s.Store.UpdateClaim(ctx, c); err != nil {
		return fmt.Errorf("decide claim: %w", err)
	}
	s.log().InfoContext(ctx, "claim decided", "claim_id", c.ID, "org_id", c.OrgID, "status", c.Status)

	// The decision stands even if the email cannot be sent: the claimant
	// sees it when they next sign in.
	if err := s.send(ctx, claimMessage(s.BaseURL, u.Email, school.Name, approve)); err != nil {
		s.log().ErrorContext(ctx, "claim email not sent", "claim_id", c.ID, "error", err)
	}
	return nil
}

// getClaim loads a claim, or answers ENotFound in a sentence the
// coordinator's page can show.
func (s *Service) getClaim(ctx context.Context, id string) (*Claim, error) {
	notFound := Errorf(ENotFound, "We cannot find that claim. Reload the page to see the claims still waiting.")
	if !ValidID(id) {
		return nil, notFound
	}

	c, err := s.Store.GetClaim(ctx, id)
	if ErrorCode(err) == ENotFound {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("get claim: %w", err)
	}
	return c, nil
}

func (s *Service) approveClaim(ctx context.Context, u *User, school *Organisation) error {
	if school.Status == OrgClosed {
		return Errorf(EConflict, "%s Reject the claim instead.", schoolClosed(school))
	}
	if u.OrgID != "" && u.OrgID != school.ID {
		return Errorf(EConflict,
			"The claimant has joined another organisation since, so the claim cannot be approved.")
	}
	u.OrgID, u.Role = school.ID, RoleOwner
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("approve claim: %w", err)
	}
	return s.markClaimed(ctx, school, RoleOwner)
}

func claimMessage(baseURL, to, school string, approved bool) Message {
	if approved {
		return newMessage("claim_approved", to, "You can now use Encounters for "+school,
			"Sign in to post requests and book encounters for "+school+":",
			baseURL+"/sign-in",
			"The county coordinator has approved your claim. You can invite colleagues from your account page.")
	}
	return newMessage("claim_rejected", to, "Your claim for "+school+" was not approved",
		"The county coordinator could not confirm that you work at "+school+", so your claim was not approved.",
		"What you can do next: ask a colleague who already uses Encounters for "+school+
			" to invite you, or send a new claim from your account, giving your job title "+
			"so that the coordinator can check it:",
		baseURL+"/account/claim",
		"This email was sent from an address that does not receive replies.")
}

// ListOrganisations lists organisations for the coordinator, with the
// total that match f.
func (s *Service) ListOrganisations(ctx context.Context, a *Actor, f OrgFilter) ([]*Organisation, int, error) {
	if err := requireCoordinator(a); err != nil {
		return nil, 0, err
	}
	var p Problems
	if f.Kind != "" && !f.Kind.Valid() {
		p.Add("kind", "Choose a kind of organisation from the list.")
	}
	if f.Offset < 0 {
		p.Add("offset", "The offset must be 0 or more.")
	}
	if err := p.Err(); err != nil {
		return nil, 0, err
	}

	if f.Limit <= 0 {
		f.Limit = defaultOrgLimit
	}
	f.Limit = min(f.Limit, maxOrgLimit)
	f.Text = strings.TrimSpace(f.Text)
	orgs, total, err := s.Store.ListOrgs(ctx, f)
	if err != nil {
		return nil, 0, fmt.Errorf("list organisations: %w", err)
	}
	return orgs, total, nil
}
