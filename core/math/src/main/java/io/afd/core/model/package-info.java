/**
 * Model architectures as data ({@link io.afd.core.model.ModelSpec}: the LEAF CNN, MLPs, logistic
 * regression), with each parameter's shape and the droppable-unit axes that sub-model extraction
 * follows. Pure Java; training lives in {@code nn}/{@code train}.
 */
package io.afd.core.model;
