package app_test

import (
	"math"
	"strings"
	"testing"

	"github.com/encounters/encounters/app"
)

func TestParsePounds(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"19.99", 1999},
		{"£19.99", 1999},
		{"1,000.10", 100010},
		{"£1,000", 100000},
		{"0.01", 1},
		{"£0.01", 1},
		{"5", 500},
		{"5.5", 550},
		{".50", 50},
		{"  £ 12.30  ", 1230},
		{"1.990", 199},
		{"0", 0},
		{"007.07", 707},
		{"1,234,567.89", 123456789},
		{"100000000", app.MaxPoundsPence},
		{"£100,000,000.00", app.MaxPoundsPence},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := app.ParsePounds(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("ParsePounds(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParsePoundsRefuses(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "Enter an amount"},
		{"   ", "Enter an amount"},
		{"1.999", "whole pence"},
		{"0.001", "whole pence"},
		{"-5", "cannot be negative"},
		{"£-5.00", "cannot be negative"},
		{"-£5", "cannot be negative"},
		{"five pounds", "like 19.99"},
		{"19.", "like 19.99"},
		{".", "like 19.99"},
		{"£", "like 19.99"},
		{"1,00", "like 19.99"},
		{"10,00.00", "like 19.99"},
		{",100", "like 19.99"},
		{"1.2.3", "like 19.99"},
		{"1e3", "like 19.99"},
		{"+5", "like 19.99"},
		{"$5", "like 19.99"},
		{"5 pounds", "like 19.99"},
		{"１２", "like 19.99"},
		{"NaN", "like 19.99"},
		{"100000000.01", "too large"},
		{"99999999999999999999999", "too large"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := app.ParsePounds(tc.in)
			if app.ErrorCode(err) != app.EInvalid || got != 0 {
				t.Fatalf("ParsePounds(%q) = %d, %v; want EInvalid", tc.in, got, err)
			}
			if msg := app.ErrorMessage(err); !strings.Contains(msg, tc.want) {
				t.Fatalf("message %q does not say %q", msg, tc.want)
			}
		})
	}
}

func TestFormatPence(t *testing.T) {
	tests := []struct {
		pence         int64
		want, decimal string
	}{
		{0, "£0.00", "0.00"},
		{1, "£0.01", "0.01"},
		{10, "£0.10", "0.10"},
		{1999, "£19.99", "19.99"},
		{100000, "£1,000.00", "1000.00"},
		{100010, "£1,000.10", "1000.10"},
		{99999999, "£999,999.99", "999999.99"},
		{123456789012, "£1,234,567,890.12", "1234567890.12"},
		{-250, "-£2.50", "-2.50"},
		{math.MinInt64, "-£92,233,720,368,547,758.08", "-92233720368547758.08"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := app.FormatPence(tc.pence); got != tc.want {
				t.Errorf("FormatPence(%d) = %q, want %q", tc.pence, got, tc.want)
			}
			if got := app.PoundsString(tc.pence); got != tc.decimal {
				t.Errorf("PoundsString(%d) = %q, want %q", tc.pence, got, tc.decimal)
			}
		})
	}
}

// TestPenceRoundTrip checks that every amount shown reads back as itself,
// and that sums of many small amounts stay exact: the trap of float money.
func TestPenceRoundTrip(t *testing.T) {
	for _, p := range []int64{0, 1, 9, 10, 99, 100, 101, 1999, 100010, 999999, 1000000, app.MaxPoundsPence} {
		for _, shown := range []string{app.FormatPence(p), app.PoundsString(p)} {
			if back, err := app.ParsePounds(shown); err != nil || back != p {
				t.Errorf("%d shown as %q reads back as %d, %v", p, shown, back, err)
			}
		}
	}

	var sum int64
	for range 100_000 {
		penny, err := app.ParsePounds("0.01")
		if err != nil {
			t.Fatal(err)
		}
		sum += penny
	}
	if app.FormatPence(sum) != "£1,000.00" {
		t.Fatalf("100,000 pennies add up to %s", app.FormatPence(sum))
	}

	var mixed int64
	for _, s := range []string{"£19.99", "£0.01", "£1,000.10", "0.10", "0.20"} {
		p, err := app.ParsePounds(s)
		if err != nil {
			t.Fatal(err)
		}
		mixed += p
	}
	if mixed != 102040 || app.FormatPence(mixed) != "£1,020.40" {
		t.Fatalf("£19.99 + £0.01 + £1,000.10 + £0.10 + £0.20 = %s", app.FormatPence(mixed))
	}
}
