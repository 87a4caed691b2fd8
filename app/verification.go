package app

import (
	"context"
	"fmt"
)

// This file holds the coordinator's verification of the organisations that
// sign up themselves: until an employer is verified its offers stay out of
// search, and until a provider is verified its requests await
// verification, seen only by itself and the coordinator.

// NeedsVerification reports whether the county coordinator must verify the
// organisation before what it publishes is public: employers, providers,
// and schools and colleges with no URN, which did not come from Get
// Information About Schools. An imported school or college is vouched for
// instead by the claim the coordinator approved, which also marks it
// Verified.
func (o *Organisation) NeedsVerification() bool {
	switch o.Kind {
	case KindEmployer, KindProvider:
		return true
	case KindSchool, KindCollege:
		return o.URN == ""
	}
	return false
}

// Trusted reports whether what the organisation publishes may be public:
// it needs no verification, or the coordinator has verified it.
func (o *Organisation) Trusted() bool {
	return o.Verified || !o.NeedsVerification()
}

// VerifyOrganisation marks an organisation verified or not, for the
// coordinator, and brings what it publishes into step: an employer's
// published offers join or leave search, a provider's requests are listed
// or await verification. An organisation that does not NeedsVerification is EConflict.
// The organisation's owners are emailed when its verification changes;
// the change stands even if the email cannot be sent.
func (s *Service) VerifyOrganisation(ctx context.Context, a *Actor, orgID string, verified bool) error {
	if err := requireCoordinator(a); err != nil {
		return err
	}
	org, err := s.GetOrganisation(ctx, a, orgID)
	if err != nil {
		return err
	}
	if !org.NeedsVerification() {
		return Errorf(EConflict, "%s does not need verifying: only employers, providers and schools or "+
			"colleges missing from Get Information About Schools are verified.", org.Name)
	}

	changed := org.Verified != verified
	org.Verified, org.UpdatedAt = verified, s.now().UTC()
	if err := s.Store.UpdateOrg(ctx, org); err != nil {
		return fmt.Errorf("verify organisation: %w", err)
	}
	s.log().InfoContext(ctx, "organisation verification set", "org_id", org.ID,
		"org_kind", string(org.Kind), "verified", verified)

	if err := s.refreshPublished(ctx, org); err != nil {
		return err
	}
	if changed {
		s.mailVerification(ctx, org)
	}
	return nil
}

// refreshPublished brings the visibility of org's offers or requests into
// step with its verification.
func (s *Service) refreshPublished(ctx context.Context, org *Organisation) error {
	if org.Kind == KindEmployer {
		return s.refreshOrgOffers(ctx, org)
	}
	if org.Kind.Learners() {
		return s.refreshOrgRequests(ctx, org)
	}
	return nil
}

// refreshOrgOffers recomputes Public for every offer of org, saves those
// that changed and updates the search index.
func (s *Service) refreshOrgOffers(ctx context.Context, org *Organisation) error {
	const page = 100
	for offset := 0; ; offset += page {
		offers, total, err := s.Store.ListOrgOffers(ctx, org.ID, offset, page)
		if err != nil {
			return fmt.Errorf("list employer offers: %w", err)
		}

		for _, o := range offers {
			if err := s.saveVisibility(ctx, o, org); err != nil {
				return err
			}
		}
		if len(offers) == 0 || offset+len(offers) >= total {
			return nil
		}
	}
}

// saveVisibility stores a changed Public flag and syncs the offer's document.
func (s *Service) saveVisibility(ctx context.Context, o *Offer, org *Organisation) error {
	if public := isPublic(o, org); public != o.Public {
		o.Public = public
		if err := s.Store.UpdateOffer(ctx, o); err != nil {
			return fmt.Errorf("update offer visibility: %w", err)
		}
	}
	s.syncOffer(ctx, o, org)
	return nil
}

// refreshOrgRequests marks org's requests as awaiting verification while
// it is not trusted, and lists them again once it is.
func (s *Service) refreshOrgRequests(ctx context.Context, org *Organisation) error {
	const page = 100
	awaiting := !org.Trusted()
	for offset := 0; ; offset += page {
		reqs, total, err := s.Store.ListOrgRequests(ctx, org.ID, offset, page)
		if err != nil {
			return fmt.Errorf("list organisation requests: %w", err)
		}

		for _, r := range reqs {
			if r.AwaitingVerification == awaiting {
				continue
			}
			r.AwaitingVerification, r.UpdatedAt = awaiting, s.now().UTC()
			if err := s.Store.UpdateRequest(ctx, r); err != nil {
				return fmt.Errorf("update request visibility: %w", err)
			}
		}
		if len(reqs) == 0 || offset+len(reqs) >= total {
			return nil
		}
	}
}

// mailVerification tells org's owners that its verification changed.
func (s *Service) mailVerification(ctx context.Context, org *Organisation) {
	members, err := s.Store.ListMembers(ctx, org.ID)
	if err != nil {
		s.log().ErrorContext(ctx, "verification email not sent", "org_id", org.ID, "error", err)
		return
	}

	for _, u := range members {
		if u.Role != RoleOwner {
			continue
		}
		if err := s.send(ctx, verificationMessage(s.BaseURL, u.Email, org)); err != nil {
			s.log().ErrorContext(ctx, "verification email not sent", "org_id", org.ID, "user_id", u.ID,
				"error", err)
		}
	}
}

// verificationMessage tells an owner that org is now verified, or no
// longer, and what that means for what it publishes.
func verificationMessage(baseURL, to string, org *Organisation) Message {
	what, hidden := "your published offers", "hidden from search"
	if org.Kind.Learners() {
		what, hidden = "your requests", "seen only by your organisation"
	}

	if org.Verified {
		return newMessage("organisation_verified", to, org.Name+" is verified on Encounters",
			"The county coordinator has verified "+org.Name+": "+what+" are now public on Encounters.",
			"Sign in to see them and to publish more:",
			baseURL+"/account")
	}
	return newMessage("organisation_verification_withdrawn", to,
		org.Name+" is no longer verified on Encounters",
		"The county coordinator has withdrawn the verification of "+org.Name+": until it is verified "+
			"again, "+what+" are "+hidden+".",
		"You can still sign in and prepare them. To ask why, contact the county careers coordinator; "+
			"this email was sent from an address that does not receive replies.",
		baseURL+"/account")
}
