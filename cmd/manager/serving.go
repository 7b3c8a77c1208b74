package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/certwatcher"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/metrics/filters"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
)

// metricsServing is the metrics server's options and, with
// --metrics-cert-path, the watcher that re-reads the certificate when
// cert-manager renews it (the manager must run it: mgr.Add).
func metricsServing(o options, tlsOpts []func(*tls.Config)) (metricsserver.Options, *certwatcher.CertWatcher, error) {
	mo := metricsserver.Options{
		BindAddress:   o.metricsAddr,
		SecureServing: o.secureMetrics,
		TLSOpts:       tlsOpts,
	}
	if o.secureMetrics {
		// Only clients that authenticate and may "get /metrics" read them.
		mo.FilterProvider = filters.WithAuthenticationAndAuthorization
	}
	if o.metricsCertPath == "" {
		return mo, nil, nil
	}
	w, err := certwatcher.New(filepath.Join(o.metricsCertPath, o.metricsCertName), filepath.Join(o.metricsCertPath, o.metricsCertKey))
	if err != nil {
		return mo, nil, fmt.Errorf("reading the metrics certificate in --metrics-cert-path %s: %w", o.metricsCertPath, err)
	}
	mo.TLSOpts = append(append([]func(*tls.Config){}, tlsOpts...), func(c *tls.Config) { c.GetCertificate = w.GetCertificate })
	return mo, w, nil
}

// cacheOptions keeps only the FleetPolicies the selector matches in the
// manager's cache, so this manager never sees (or reconciles) the others;
// a policy relabelled out of the selector leaves as if deleted, and the
// manager whose selector it now matches takes it up.
func cacheOptions(sel labels.Selector) cache.Options {
	if sel == nil || sel.Empty() {
		return cache.Options{}
	}
	return cache.Options{ByObject: map[client.Object]cache.ByObject{&ecswinv1alpha1.FleetPolicy{}: {Label: sel}}}
}

// cacheSyncTimeout bounds how long a readiness probe waits for the
// informer caches.
const cacheSyncTimeout = time.Second

// errCachesNotSynced is what /readyz says before the first list of
// FleetPolicies has arrived.
var errCachesNotSynced = errors.New("the informer caches have not synced yet")

// cachesSynced is ready once every informer the manager started has
// synced: before that, a replica would reconcile from an empty view.
func cachesSynced(c cache.Cache) healthz.Checker {
	return func(req *http.Request) error {
		ctx, cancel := context.WithTimeout(req.Context(), cacheSyncTimeout)
		defer cancel()
		if !c.WaitForCacheSync(ctx) {
			return errCachesNotSynced
		}
		return nil
	}
}
