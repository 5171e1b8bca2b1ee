// Validates rendered Kubernetes manifests offline: each document against the JSON schema of its apiVersion and kind,
// from the Kubernetes API (kubernetes-models) and the CRDs of Strimzi, CloudNativePG and the Prometheus Operator
// (@kubernetes-models/*, generated from those projects' CRDs). Types, required fields, enums, patterns and formats
// are checked; like kubeconform without --strict, fields the schemas do not name are not refused.
//
//   node validate.mjs rendered.yaml [more.yaml ...]     (for example: kubectl kustomize deploy/k8s/overlays/production)
//
// Prints one line per document and exits 1 if any document fails or has no known schema.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

// apiVersion group -> the package holding its models; the core group ("v1") and the built-in groups are in
// kubernetes-models
const crdPackages = {
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
  'core.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
  'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

async function modelFor(apiVersion, kind) {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  let module;
  if (crdPackages[group]) {
    module = `${crdPackages[group]}/${group}/${version}`;
  } else if (group === '') {
    module = `kubernetes-models/${version}`;
  } else {
    // built-in groups: kubernetes-models/apps/v1, kubernetes-models/networking.k8s.io/v1, kubernetes-models/policy/v1
    module = `kubernetes-models/${group}/${version}`;
  }
  let exports;
  try {
    exports = await import(module);
  } catch (e) {
    return null;
  }
  return exports[kind] ?? null;
}

let failed = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      console.log(`FAIL ${file}: not YAML: ${doc.errors[0].message}`);
      failed++;
      continue;
    }
    const obj = doc.toJSON();
    if (obj == null) {
      continue;
    }
    const what = `${obj.apiVersion}/${obj.kind} ${obj.metadata?.namespace ?? '-'}/${obj.metadata?.name}`;
    const Model = obj.apiVersion && obj.kind ? await modelFor(obj.apiVersion, obj.kind) : null;
    if (!Model) {
      console.log(`FAIL ${what}: no schema known for this apiVersion and kind`);
      failed++;
      continue;
    }
    try {
      new Model(obj).validate();
      console.log(`ok   ${what}`);
      checked++;
    } catch (e) {
      console.log(`FAIL ${what}: ${e.message}`);
      failed++;
    }
  }
}
console.log(`${checked} valid, ${failed} invalid`);
process.exit(failed > 0 || checked === 0 ? 1 : 0);
