# Independent check of lethe eval: accuracies and MIA-efficacy (SalUn/Unlearn-Sparse SVC_MIA) from `lethe predict` output.
# Usage: lethe predict --model M --out p.csv; lethe forget --data D --forget SPEC --out f.txt; /usr/bin/python3 bench/verify_eval.py p.csv f.txt
# (needs Debian python3-sklearn); compare with lethe eval --model M --reference R --forget SPEC.
import csv, sys, numpy as np
from sklearn.svm import SVC
rows = list(csv.reader(open(sys.argv[1])))[1:]
forget = set(int(l) for l in open(sys.argv[2]))
ids = np.array([int(r[0]) for r in rows]); y = np.array([int(r[1]) for r in rows]); split = np.array([r[2] for r in rows])
P = np.array([[float(v) for v in r[3:]] for r in rows])
pred = P.argmax(1)
fm = np.isin(ids, list(forget)); tr = split == 'train'; te = split == 'test'
rm = tr & ~fm
acc = lambda m: 100 * (pred[m] == y[m]).mean()
print('forgetAcc %.2f retainAcc %.2f testAcc %.2f' % (acc(fm), acc(rm), acc(te)))
conf = P[np.arange(len(y)), y]
rng = np.random.default_rng(0)
res = []
for seed in range(5):
    rng = np.random.default_rng(seed)
    n = min(rm.sum(), te.sum(), 2000)
    r_idx = rng.choice(np.where(rm)[0], n, replace=False); t_idx = rng.choice(np.where(te)[0], n, replace=False)
    X = np.concatenate([conf[r_idx], conf[t_idx]])[:, None]; Y = np.concatenate([np.ones(n), np.zeros(n)])
    clf = SVC(C=3, gamma='auto', kernel='rbf').fit(X, Y)
    res.append(100 * (1 - clf.predict(conf[fm][:, None]).mean()))
print('mia (sklearn SVC, 5 shadow samples): %.2f ± %.2f' % (np.mean(res), np.std(res)), ['%.1f' % r for r in res])
