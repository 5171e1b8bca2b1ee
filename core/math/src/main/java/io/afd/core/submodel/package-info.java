/**
 * Sub-models of Federated Dropout and AFD: a {@link io.afd.core.submodel.Selection} (kept units per
 * droppable layer, with a stable id) and {@link io.afd.core.submodel.SubModelLayout}, which extracts the
 * dense sub-model and restores an update to global coordinates with the mask it covers (including the
 * channel blocks across the conv-to-dense flatten). Property: restore(extract(w)) == w on the mask.
 */
package io.afd.core.submodel;
