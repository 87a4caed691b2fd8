package app

import (
	"context"
	"crypto/subtle"
	"fmt"
	"strings"
)

// Calendar feed limits: how many of an organisation's bookings it reads.
const (
	calendarPage = MaxPerPage
	calendarMax  = 1000
)

// CalendarLink returns the private address of the actor's organisation's
// calendar feed, BaseURL + "/calendar/ORGID/SECRET.ics", making its secret
// when it has none and replacing it when reset is true (the old address
// then stops working).
func (s *Service) CalendarLink(ctx context.Context, a *Actor, reset bool) (string, error) {
	if err := requireMember(a); err != nil {
		return "", err
	}
	unlock := s.lock(lockOrg, a.OrgID)
	defer unlock()

	org, err := s.Store.GetOrg(ctx, a.OrgID)
	if err != nil {
		return "", fmt.Errorf("calendar link: %w", err)
	}
	if org.CalendarSecret == "" || reset {
		org.CalendarSecret, org.UpdatedAt = NewSecret(), s.now().UTC()
		if err := s.Store.UpdateOrg(ctx, org); err != nil {
			return "", fmt.Errorf("calendar link: %w", err)
		}
		s.log().InfoContext(ctx, "calendar secret set", "org_id", org.ID, "reset", reset)
	}
	return s.BaseURL + "/calendar/" + org.ID + "/" + org.CalendarSecret + ".ics", nil
}

// CalendarFeed renders an organisation's calendar: its confirmed and
// delivered bookings on either side, from the address CalendarLink gave.
// A wrong organisation or secret is ENotFound. The secret may end in
// ".ics", as the address does.
func (s *Service) CalendarFeed(ctx context.Context, orgID, secret string) ([]byte, error) {
	notFound := ErrNotFound("Calendar")
	secret = strings.TrimSuffix(secret, ".ics")
	if !ValidID(orgID) || secret == "" {
		return nil, notFound
	}
	org, err := s.Store.GetOrg(ctx, orgID)
	if ErrorCode(err) == ENotFound {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("calendar feed: %w", err)
	}
	if org.CalendarSecret == "" || subtle.ConstantTimeCompare([]byte(org.CalendarSecret), []byte(secret)) != 1 {
		return nil, notFound
	}
	if s.Compose == nil {
		return nil, Errorf(EInternal, "calendar feed: no templates configured")
	}

	invites, err := s.calendarInvites(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	cal, err := s.Compose.Calendar(org.Name+" on Encounters", invites)
	if err != nil {
		return nil, fmt.Errorf("calendar feed: %w", err)
	}
	return cal, nil
}

// calendarInvites returns an invite for each confirmed or delivered
// booking of the organisation, reading at most calendarMax bookings. Each
// is titled with the offer and the organisation on the other side: the
// school's feed names the employer, the employer's names the school.
func (s *Service) calendarInvites(ctx context.Context, orgID string) ([]Invite, error) {
	var invites []Invite
	for offset := 0; offset < calendarMax; offset += calendarPage {
		page, total, err := s.Store.ListOrgBookings(ctx, orgID, BookingFilter{Offset: offset, Limit: calendarPage})
		if err != nil {
			return nil, fmt.Errorf("calendar feed: bookings: %w", err)
		}

		for _, b := range page {
			if b.State == BookingConfirmed || b.State == BookingDelivered {
				invites = append(invites, *s.bookingInvite(b, InviteRequest, orgID))
			}
		}
		if offset+len(page) >= total || len(page) == 0 {
			break
		}
	}
	return invites, nil
}

// otherSide names the organisation on the other side of b from orgID.
func otherSide(b *Booking, orgID string) string {
	if b.SideOf(orgID) == SideEmployer {
		return b.OrgName
	}
	return b.EmployerName
}
