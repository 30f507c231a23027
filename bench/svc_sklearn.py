# Writes test/fixtures/svc-sklearn.json: scikit-learn's SVC(C=3, gamma='auto', kernel='rbf') fitted on the
# reference's MIA sizes (10,000 members and 10,000 non-members of one feature), on data both languages generate
# from the same formula, so src/eval/svc.test.ts can check Lethe's solver against it. Needs python3-sklearn:
#   /usr/bin/python3 bench/svc_sklearn.py
import json, math, os, sys, time
import numpy as np
from sklearn.svm import SVC

GOLD = 0.6180339887498949

def feature(n, scale, offset):
    # Confidence-like values in (0, 1]: exp(-scale * Exp(1) quantile of a golden-ratio sequence), rounded to float32.
    u = np.array([((i + offset) * GOLD) % 1.0 for i in range(n)])
    return np.exp(-scale * -np.log1p(-u)).astype(np.float32).astype(np.float64)

cases = []
for m, a, b in [(2000, 0.02, 0.15), (10000, 0.02, 0.15), (10000, 0.3, 0.5)]:
    x = np.concatenate([feature(m, a, 0.5), feature(m, b, 0.25)])
    y = np.concatenate([np.ones(m), np.zeros(m)])
    t = time.time()
    clf = SVC(C=3, gamma='auto', kernel='rbf').fit(x.reshape(-1, 1), y)
    seconds = time.time() - t
    grid = np.linspace(0, 1, 41)
    cases.append({
        'members': m, 'scaleMembers': a, 'scaleNonMembers': b,
        'intercept': float(clf.intercept_[0]), 'supportVectors': int(clf.support_.size),
        'grid': grid.tolist(), 'decision': clf.decision_function(grid.reshape(-1, 1)).tolist(),
        'trainAccuracy': float((clf.predict(x.reshape(-1, 1)) == y).mean()), 'sklearnSeconds': round(seconds, 2),
    })
    print(m, a, b, 'sklearn', round(seconds, 2), 's', file=sys.stderr)
out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'svc-sklearn.json')
with open(out, 'w') as f:
    json.dump({'sklearn': __import__('sklearn').__version__, 'cases': cases}, f, indent=1)
