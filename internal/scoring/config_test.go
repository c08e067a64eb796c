package scoring

import "testing"

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Config)
		ok     bool
	}{
		{"defaults", func(*Config) {}, true},
		{"cap above 100", func(c *Config) { c.CriticalCap = 120 }, false},
		{"negative penalty", func(c *Config) { c.NoDPAPenalty = -5 }, false},
		{"mitigation above 1", func(c *Config) { c.PostureMitigation = 1.2 }, false},
		{"weak above strong", func(c *Config) { c.WeakBelow = 80 }, false},
		{"tiers out of order", func(c *Config) { c.TierHigh = 70 }, false},
		{"tier without an interval", func(c *Config) { delete(c.ReassessMonths, "low") }, false},
		{"unknown tier interval", func(c *Config) { c.ReassessMonths["urgent"] = 1 }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig()
			c.change(&cfg)
			if err := cfg.Validate(); (err == nil) != c.ok {
				t.Errorf("Validate() = %v, want ok %v", err, c.ok)
			}
		})
	}
}

func TestDefaultConfigIsFresh(t *testing.T) {
	a := DefaultConfig()
	a.ReassessMonths["high"] = 1
	if DefaultConfig().ReassessMonths["high"] != 12 {
		t.Fatal("DefaultConfig shares its map between calls")
	}
}
