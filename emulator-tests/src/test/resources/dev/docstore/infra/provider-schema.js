'use strict';
// Reads the jsii assembly of @cdktf/provider-google (generated from the google provider's schema)
// and writes what a configuration may say: for the provider, every resource and every data
// source, its arguments by their Terraform names, which are required, and the nested blocks'
// own arguments. Usage: node provider-schema.js <package dir> <output file>
const fs = require('fs');
const path = require('path');

const [pkgDir, outFile] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const types = JSON.parse(fs.readFileSync(path.join(pkgDir, '.jsii'), 'utf8')).types;

const REPRESENTS = /Represents a \{@link https:\/\/registry\.terraform\.io\/providers\/hashicorp\/google\/([^/]+)\/docs(?:\/(resources|data-sources)\/\S+)? (\S+)\}/;
const ANCHOR = /#([A-Za-z0-9_]+) [A-Za-z0-9]+#/;

function structOf(type) {
  if (!type) return null;
  if (type.fqn && types[type.fqn] && types[type.fqn].datatype) return type.fqn;
  if (type.collection) return structOf(type.collection.elementtype);
  if (type.union) {
    for (const t of type.union.types) {
      const s = structOf(t);
      if (s) return s;
    }
  }
  return null;
}

const blocks = {};
function block(fqn, depth) {
  const arguments_ = {};
  for (const p of types[fqn].properties || []) {
    // The Terraform name is the anchor of the argument's registry link (in the summary when the
    // schema has no description, else in the remarks); without a link, the snake_case name.
    const docs = p.docs || {};
    const anchor = ((docs.summary || '') + ' ' + (docs.remarks || '')).match(ANCHOR);
    const name = anchor ? anchor[1] : p.name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
    const argument = { required: !p.optional };
    const nested = structOf(p.type);
    if (nested && depth < 12) argument.block = block(nested, depth + 1);
    arguments_[name] = argument;
  }
  return arguments_;
}

const out = { packageVersion: pkg.version, providerVersion: pkg.cdktf.provider.version,
  schemaVersions: [], provider: null, resources: {}, dataSources: {} };
for (const type of Object.values(types)) {
  if (type.kind !== 'class' || !type.docs || !type.docs.summary || !type.initializer) continue;
  const m = type.docs.summary.match(REPRESENTS);
  if (!m) continue;
  const config = (type.initializer.parameters || []).find((p) => p.name === 'config');
  if (!config) continue;
  if (!out.schemaVersions.includes(m[1])) out.schemaVersions.push(m[1]);
  const schema = block(config.type.fqn, 0);
  if (!m[2]) out.provider = schema;
  else if (m[2] === 'resources') out.resources[m[3]] = schema;
  else out.dataSources[m[3]] = schema;
}
fs.writeFileSync(outFile, JSON.stringify(out));
