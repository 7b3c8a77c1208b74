package main

import (
	"flag"
	"io"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/engine"
)

func TestParseOptions(t *testing.T) {
	tests := map[string]struct {
		args  []string
		check func(options) bool
	}{
		"secure metrics by default": {nil, func(o options) bool {
			return o.secureMetrics && o.metricsAddr == ":8443" && !o.enableHTTP2 && !o.leaderElect
		}},
		"engine defaults": {nil, func(o options) bool {
			return o.ssmPollInterval == engine.DefaultPollInterval && o.awsParallelism == engine.DefaultParallelism
		}},
		"engine tunables": {[]string{"--ssm-poll-interval=30s", "--aws-parallelism=4"}, func(o options) bool {
			return o.ssmPollInterval == 30*time.Second && o.awsParallelism == 4
		}},
		"leader election": {[]string{"--leader-elect", "--leader-election-namespace=ecswin-system"}, func(o options) bool {
			return o.leaderElect && o.leaderElectionNamespace == "ecswin-system"
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			fs := flag.NewFlagSet("manager", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			o, err := parseOptions(fs, tc.args)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(o) {
				t.Errorf("options = %+v", o)
			}
		})
	}
}
