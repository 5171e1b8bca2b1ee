/** Implementation details of afd-infra that must be public for another JVM to run them; not API. */
package io.afd.infra.internal;
