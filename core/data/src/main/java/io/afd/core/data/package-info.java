/**
 * Datasets and federated partitions, in plain Java arrays (no ND4J).
 *
 * <ul>
 *   <li>{@link io.afd.core.data.Dataset}: an immutable labelled dataset (row-major float features, int labels);
 *       {@link io.afd.core.data.FederatedDataset}: per-client training sets plus a held-out global test set;
 *       {@link io.afd.core.data.TrainTest}: a centralised train/test pair.</li>
 *   <li>{@link io.afd.core.data.SyntheticDataset}: Synthetic(alpha, beta) of T. Li, A. K. Sahu, M. Zaheer,
 *       M. Sanjabi, A. Talwalkar, V. Smith, "Federated Optimization in Heterogeneous Networks", MLSys 2020,
 *       arXiv:1812.06127 (the data follow their generator script; the set-up itself goes back to
 *       O. Shamir, N. Srebro, T. Zhang, "Communication-Efficient Distributed Optimization using an
 *       Approximate Newton-type Method", ICML 2014).</li>
 *   <li>{@link io.afd.core.data.IdxReader} and {@link io.afd.core.data.FashionMnist}: the IDX format of
 *       Y. LeCun, C. Cortes, C. J. C. Burges, "The MNIST database of handwritten digits"; H. Xiao, K. Rasul,
 *       R. Vollgraf, "Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning Algorithms",
 *       arXiv:1708.07747 (Debian package {@code dataset-fashion-mnist}, files in
 *       {@code /usr/share/datasets/fashion-mnist}).</li>
 *   <li>{@link io.afd.core.data.LeafJsonReader}: the JSON format of S. Caldas, S. M. K. Duddu, P. Wu, T. Li,
 *       J. Konečný, H. B. McMahan, V. Smith, A. Talwalkar, "LEAF: A Benchmark for Federated Settings",
 *       arXiv:1812.01097 (FEMNIST and Shakespeare).</li>
 *   <li>{@link io.afd.core.data.Partitioners} and {@link io.afd.core.data.PartitionSpec}: IID; Dirichlet label
 *       skew after T.-M. H. Hsu, H. Qi, M. Brown, "Measuring the Effects of Non-Identical Data Distribution
 *       for Federated Visual Classification", arXiv:1909.06335, in the per-class form of M. Yurochkin et al.,
 *       "Bayesian Nonparametric Federated Learning of Neural Networks", ICML 2019, and Q. Li, Y. Diao, Q. Chen,
 *       B. He, "Federated Learning on Non-IID Data Silos: An Experimental Study" (NIID-Bench), ICDE 2022,
 *       arXiv:2102.02079; shards after H. B. McMahan, E. Moore, D. Ramage, S. Hampson, B. Agüera y Arcas,
 *       "Communication-Efficient Learning of Deep Networks from Decentralized Data", AISTATS 2017,
 *       arXiv:1602.05629.</li>
 *   <li>{@link io.afd.core.data.Rng}: seeded sampling; Gamma draws by G. Marsaglia, W. W. Tsang, "A Simple
 *       Method for Generating Gamma Variables", ACM TOMS 26(3), 2000 (with the U^(1/a) boost for a &lt; 1);
 *       Gaussians by G. E. P. Box, M. E. Muller, "A Note on the Generation of Random Normal Deviates",
 *       Ann. Math. Statist. 29(2), 1958.</li>
 * </ul>
 */
package io.afd.core.data;
