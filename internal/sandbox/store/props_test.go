package store

import (
	"testing"
	"time"
)

func TestFormatBytes(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 B (0 bytes)"},
		{1023, "1023 B (1,023 bytes)"},
		{262144, "256 KB (262,144 bytes)"},
		{36700160, "35 MB (36,700,160 bytes)"},
		{106300440576, "99 GB (106,300,440,576 bytes)"},
		{53150220288, "49.5 GB (53,150,220,288 bytes)"},
		{1334578302, "1.243 GB (1,334,578,302 bytes)"},
		{18360832, "17.51 MB (18,360,832 bytes)"},
	}
	for _, tt := range tests {
		if got := FormatBytes(tt.n); got != tt.want {
			t.Errorf("FormatBytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestFormatTimeAndSpan(t *testing.T) {
	ts := time.Date(2022, 6, 29, 17, 57, 3, 0, time.FixedZone("x", 3600))
	if got := FormatTime(ts); got != "2022-06-29T16:57:03.0000000+00:00" {
		t.Errorf("FormatTime = %q", got)
	}
	spans := []struct {
		d    time.Duration
		want string
	}{
		{0, "00:00:00"},
		{14 * 24 * time.Hour, "14.00:00:00"},
		{26*time.Hour + 3*time.Minute + 4*time.Second, "1.02:03:04"},
	}
	for _, tt := range spans {
		if got := FormatTimeSpan(tt.d); got != tt.want {
			t.Errorf("FormatTimeSpan(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestPromotePrimary(t *testing.T) {
	got := promotePrimary([]string{"SMTP:a@x.com", "smtp:b@x.com", "SIP:a@x.com"}, "B@x.com")
	want := []string{"smtp:a@x.com", "SMTP:B@x.com", "SIP:a@x.com"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("promotePrimary = %v, want %v", got, want)
		}
	}
}
