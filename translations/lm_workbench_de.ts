<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>GuiApp</name>
    <message>
        <source>Design, train and compare small language models.</source>
        <translation>Kleine Sprachmodelle entwerfen, trainieren und vergleichen.</translation>
    </message>
    <message>
        <source>Use the catalog file &lt;path&gt;.</source>
        <translation>Die Katalogdatei &lt;pfad&gt; verwenden.</translation>
    </message>
    <message>
        <source>path</source>
        <translation>pfad</translation>
    </message>
    <message>
        <source>LM Workbench</source>
        <translation>LM-Werkbank</translation>
    </message>
    <message>
        <source>Cannot open the catalog:
%1</source>
        <translation>Der Katalog lässt sich nicht öffnen:
%1</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Train a tokenizer on %1</source>
        <translation>Einen Tokenizer auf %1 trainieren</translation>
    </message>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Lowercase (word)</source>
        <translation>Kleinschreibung (Wort)</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <source>&amp;Vocabulary size:</source>
        <translation>&amp;Vokabulargröße:</translation>
    </message>
    <message>
        <source>&amp;Minimum frequency (word):</source>
        <translation>&amp;Mindesthäufigkeit (Wort):</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>&amp;Trainieren</translation>
    </message>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>auto (%1)</source>
        <translation>automatisch (%1)</translation>
    </message>
    <message>
        <source>all cores</source>
        <translation>alle Kerne</translation>
    </message>
    <message>
        <source>auto: %1</source>
        <translation>automatisch: %1</translation>
    </message>
    <message>
        <source>a newline</source>
        <translation>ein Zeilenumbruch</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>Optimizer steps of the run</source>
        <translation>Optimiererschritte des Laufs</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>Sequences per micro-batch (the global batch when data-parallel)</source>
        <translation>Sequenzen je Mikro-Batch (der globale Batch bei Datenparallelität)</translation>
    </message>
    <message>
        <source>Accumulate</source>
        <translation>Akkumulieren</translation>
    </message>
    <message>
        <source>Micro-batches per optimizer step (gradient accumulation)</source>
        <translation>Mikro-Batches je Optimiererschritt (Gradientenakkumulation)</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>Seeds the weights and the batch order: the same seed gives the same run</source>
        <translation>Initialisiert Gewichte und Batch-Reihenfolge: derselbe Seed ergibt denselben Lauf</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>cpu or cuda (the CLI also takes auto: cuda when a GPU is visible)</source>
        <translation>cpu oder cuda (die Kommandozeile nimmt auch auto: cuda, wenn eine GPU sichtbar ist)</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>fp32, or bf16: the forward pass under autocast to bfloat16 (weights, optimizer state and loss stay fp32)</source>
        <translation>fp32 oder bf16: der Vorwärtsdurchlauf unter Autocast in bfloat16 (Gewichte, Optimiererzustand und Verlust bleiben fp32)</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Threads</translation>
    </message>
    <message>
        <source>CPU threads for LibTorch; 0: all cores (OpenBLAS is held to one thread)</source>
        <translation>CPU-Threads für LibTorch; 0: alle Kerne (OpenBLAS bleibt bei einem Thread)</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>Optimierer</translation>
    </message>
    <message>
        <source>sgd, adam (L2 penalty), adamw (decoupled weight decay) or radam (Liu et al. 2020)</source>
        <translation>sgd, adam (L2-Strafterm), adamw (entkoppelter Weight Decay) oder radam (Liu et al. 2020)</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>Peak learning rate</source>
        <translation>Höchste Lernrate</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>Weight Decay</translation>
    </message>
    <message>
        <source>On weight matrices only, not on norms, biases or positions</source>
        <translation>Nur auf Gewichtsmatrizen, nicht auf Normen, Biases oder Positionen</translation>
    </message>
    <message>
        <source>Beta 1</source>
        <translation>Beta 1</translation>
    </message>
    <message>
        <source>Adam&apos;s first-moment decay</source>
        <translation>Abklingen des ersten Moments bei Adam</translation>
    </message>
    <message>
        <source>Beta 2</source>
        <translation>Beta 2</translation>
    </message>
    <message>
        <source>Adam&apos;s second-moment decay</source>
        <translation>Abklingen des zweiten Moments bei Adam</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>Momentum</translation>
    </message>
    <message>
        <source>SGD momentum</source>
        <translation>SGD-Momentum</translation>
    </message>
    <message>
        <source>Nesterov</source>
        <translation>Nesterov</translation>
    </message>
    <message>
        <source>SGD with Nesterov momentum (needs momentum above 0)</source>
        <translation>SGD mit Nesterov-Momentum (braucht ein Momentum über 0)</translation>
    </message>
    <message>
        <source>Gradient clip</source>
        <translation>Gradienten-Clipping</translation>
    </message>
    <message>
        <source>Global gradient-norm clip; 0 disables clipping (the divergence guard still runs)</source>
        <translation>Begrenzung der globalen Gradientennorm; 0 schaltet sie ab (der Divergenzwächter prüft weiter)</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Zeitplan</translation>
    </message>
    <message>
        <source>constant, cosine (to min_lr), linear, step (a tenth every third of the run), onecycle (PyTorch&apos;s OneCycleLR defaults: rate and momentum cycled) or stlr (ULMFiT&apos;s slanted triangular)</source>
        <translation>constant, cosine (bis min_lr), linear, step (ein Zehntel je Drittel des Laufs), onecycle (Voreinstellungen von PyTorchs OneCycleLR: Rate und Momentum zyklisch) oder stlr (ULMFiTs schiefes Dreieck)</translation>
    </message>
    <message>
        <source>Warm-up steps</source>
        <translation>Aufwärmschritte</translation>
    </message>
    <message>
        <source>Linear warm-up steps, at most a tenth of the run</source>
        <translation>Schritte des linearen Aufwärmens, höchstens ein Zehntel des Laufs</translation>
    </message>
    <message>
        <source>Final learning rate</source>
        <translation>End-Lernrate</translation>
    </message>
    <message>
        <source>Where cosine and linear decay end</source>
        <translation>Wo der Kosinus- und der lineare Abfall enden</translation>
    </message>
    <message>
        <source>Evaluate every</source>
        <translation>Auswerten alle</translation>
    </message>
    <message>
        <source>Steps between evaluations on the validation split</source>
        <translation>Schritte zwischen Auswertungen auf dem Validierungsteil</translation>
    </message>
    <message>
        <source>Evaluation tokens</source>
        <translation>Auswertungs-Token</translation>
    </message>
    <message>
        <source>Validation tokens scored by each periodic evaluation; the final one scores the whole split</source>
        <translation>Validierungs-Token je regelmäßiger Auswertung; die letzte bewertet den ganzen Teil</translation>
    </message>
    <message>
        <source>Log every</source>
        <translation>Protokollieren alle</translation>
    </message>
    <message>
        <source>Steps between training-loss readings (10 on a GPU when left at 1)</source>
        <translation>Schritte zwischen Ablesungen des Trainingsverlusts (10 auf einer GPU, wenn auf 1 belassen)</translation>
    </message>
    <message>
        <source>Sample tokens</source>
        <translation>Beispiel-Token</translation>
    </message>
    <message>
        <source>Tokens of text generated at each evaluation; 0: none</source>
        <translation>Token Text, die bei jeder Auswertung erzeugt werden; 0: keine</translation>
    </message>
    <message>
        <source>Sample prompt</source>
        <translation>Beispiel-Anfang</translation>
    </message>
    <message>
        <source>The text samples continue</source>
        <translation>Der Text, den die Beispiele fortsetzen</translation>
    </message>
    <message>
        <source>Patience</source>
        <translation>Geduld</translation>
    </message>
    <message>
        <source>Early stopping after this many evaluations without a better validation loss; 0: off</source>
        <translation>Frühes Beenden nach so vielen Auswertungen ohne besseren Validierungsverlust; 0: aus</translation>
    </message>
    <message>
        <source>Divergence factor</source>
        <translation>Divergenzfaktor</translation>
    </message>
    <message>
        <source>A training loss above this times the first one ends the run as diverged; 0: only NaN/Inf</source>
        <translation>Ein Trainingsverlust über diesem Vielfachen des ersten beendet den Lauf als divergiert; 0: nur NaN/Inf</translation>
    </message>
    <message>
        <source>Checkpoint every</source>
        <translation>Checkpoint alle</translation>
    </message>
    <message>
        <source>A resumable checkpoint every N steps; 0: only at the end and on Stop</source>
        <translation>Ein fortsetzbarer Checkpoint alle N Schritte; 0: nur am Ende und beim Anhalten</translation>
    </message>
    <message>
        <source>Keep checkpoints</source>
        <translation>Checkpoints behalten</translation>
    </message>
    <message>
        <source>Periodic checkpoints kept (the last K, plus the best by validation loss)</source>
        <translation>Behaltene regelmäßige Checkpoints (die letzten K, dazu der beste nach Validierungsverlust)</translation>
    </message>
    <message>
        <source>Checkpoint minutes</source>
        <translation>Checkpoint-Minuten</translation>
    </message>
    <message>
        <source>Also a checkpoint every M minutes of training; 0: off</source>
        <translation>Zusätzlich ein Checkpoint alle M Minuten Training; 0: aus</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>Unfreeze every</source>
        <translation>Auftauen alle</translation>
    </message>
    <message>
        <source>ulmfit: steps between unfreezing the next lower layer group (the top group trains from the start)</source>
        <translation>ulmfit: Schritte zwischen dem Auftauen der nächstunteren Schichtgruppe (die oberste Gruppe trainiert von Anfang an)</translation>
    </message>
    <message>
        <source>Discriminative factor</source>
        <translation>Diskriminativer Faktor</translation>
    </message>
    <message>
        <source>ulmfit: each lower layer group learns at the rate of the group above divided by this (Howard &amp; Ruder: 2.6)</source>
        <translation>ulmfit: jede tiefere Schichtgruppe lernt mit der Rate der Gruppe darüber geteilt durch diesen Wert (Howard &amp; Ruder: 2,6)</translation>
    </message>
    <message>
        <source>lm: go on modelling language, on the target corpus (ULMFiT&apos;s stage b); classify: a head on the encoder predicts each document&apos;s label (a labeled corpus); pairs: the target text after a prompt, the loss on the target only (a pairs corpus)</source>
        <translation>lm: weiter Sprache modellieren, auf dem Zielkorpus (ULMFiTs Stufe b); classify: ein Kopf auf dem Encoder sagt das Label jedes Dokuments voraus (ein gelabeltes Korpus); pairs: der Zieltext nach einem Prompt, der Verlust nur auf dem Ziel (ein Korpus aus Paaren)</translation>
    </message>
    <message>
        <source>Auxiliary LM weight</source>
        <translation>Gewicht des Hilfs-LM</translation>
    </message>
    <message>
        <source>mtl: gamma at the start, the weight of the language-model loss in L = L_task + gamma L_LM (SiATL; 0.1 to 1 suggested)</source>
        <translation>mtl: gamma zu Beginn, das Gewicht des Sprachmodell-Verlusts in L = L_task + gamma L_LM (SiATL; 0,1 bis 1 empfohlen)</translation>
    </message>
    <message>
        <source>Auxiliary LM half-life</source>
        <translation>Halbwertszeit des Hilfs-LM</translation>
    </message>
    <message>
        <source>mtl: steps in which gamma halves: gamma_t = gamma_0 x 0.5^(t / half-life)</source>
        <translation>mtl: Schritte, in denen sich gamma halbiert: gamma_t = gamma_0 x 0,5^(t / Halbwertszeit)</translation>
    </message>
    <message>
        <source>Prefix length</source>
        <translation>Präfixlänge</translation>
    </message>
    <message>
        <source>prefix: virtual tokens L_p whose keys and values every layer&apos;s attention sees first (Li &amp; Liang: 10 to 200)</source>
        <translation>prefix: virtuelle Tokens L_p, deren Schlüssel und Werte die Attention jeder Schicht zuerst sieht (Li &amp; Liang: 10 bis 200)</translation>
    </message>
    <message>
        <source>Prefix MLP width</source>
        <translation>Breite des Präfix-MLP</translation>
    </message>
    <message>
        <source>prefix: hidden width k of the MLP that makes the prefix while training (only the prefix is stored)</source>
        <translation>prefix: versteckte Breite k des MLP, das das Präfix beim Training erzeugt (gespeichert wird nur das Präfix)</translation>
    </message>
    <message>
        <source>full: every parameter; ulmfit: discriminative rates and gradual unfreezing (methods.md B7); l-eo: the embeddings and output layer only; l-ldb: the last block or layer only (B10); mtl: every parameter, plus an auxiliary language-model loss on the task&apos;s own text (SiATL, B8); prefix: a frozen Transformer with trained key/value prefixes in every layer (B10); smart: every parameter, with SMART&apos;s adversarial smoothness and proximal terms (B9)</source>
        <translation>full: alle Parameter; ulmfit: diskriminative Raten und schrittweises Auftauen (methods.md B7); l-eo: nur Einbettungen und Ausgabeschicht; l-ldb: nur der letzte Block bzw. die letzte Schicht (B10); mtl: alle Parameter, dazu ein Hilfsverlust als Sprachmodell auf dem Text der Aufgabe (SiATL, B8); prefix: ein eingefrorener Transformer mit trainierten Schlüssel-/Wert-Präfixen in jeder Schicht (B10); smart: alle Parameter, mit SMARTs adversarialem Glättungs- und proximalem Term (B9)</translation>
    </message>
    <message>
        <source>SMART adversarial weight</source>
        <translation>SMART: adversariales Gewicht</translation>
    </message>
    <message>
        <source>smart: lambda_s, the weight of the smoothness term on perturbed embeddings (paper: 1, 3 or 5)</source>
        <translation>smart: lambda_s, das Gewicht des Glättungsterms auf gestörten Einbettungen (Artikel: 1, 3 oder 5)</translation>
    </message>
    <message>
        <source>SMART proximal weight</source>
        <translation>SMART: proximales Gewicht</translation>
    </message>
    <message>
        <source>smart: mu, the weight of the Bregman proximal term against the moving-average teacher</source>
        <translation>smart: mu, das Gewicht des proximalen Bregman-Terms gegenüber dem gleitenden Mittel als Lehrer</translation>
    </message>
    <message>
        <source>SMART step</source>
        <translation>SMART: Schrittweite</translation>
    </message>
    <message>
        <source>smart: eta, the size of the ascent step on the embeddings (infinity norm per token)</source>
        <translation>smart: eta, die Größe des Anstiegsschritts auf den Einbettungen (Maximumnorm je Token)</translation>
    </message>
    <message>
        <source>SMART noise</source>
        <translation>SMART: Rauschen</translation>
    </message>
    <message>
        <source>smart: sigma, the standard deviation of the noise the ascent starts from</source>
        <translation>smart: sigma, die Standardabweichung des Rauschens, von dem der Anstieg ausgeht</translation>
    </message>
    <message>
        <source>Examples per class</source>
        <translation>Beispiele je Klasse</translation>
    </message>
    <message>
        <source>classify: train on at most this many labeled documents of each class (the first of the training split); 0: all of them</source>
        <translation>classify: höchstens so viele gelabelte Dokumente je Klasse trainieren (die ersten des Trainingsteils); 0: alle</translation>
    </message>
    <message>
        <source>Backward LM weight</source>
        <translation>Gewicht des Rückwärts-LM</translation>
    </message>
    <message>
        <source>cnn-bilstm and the bidirectional cmow-cbow: the backward stack learns as a backward language model with this weight beside the forward loss (Rei 2017: 0.1); 0: it stays untrained</source>
        <translation>cnn-bilstm und das bidirektionale cmow-cbow: der Rückwärtsstapel lernt als Rückwärts-Sprachmodell mit diesem Gewicht neben dem Vorwärtsverlust (Rei 2017: 0,1); 0: er bleibt untrainiert</translation>
    </message>
    <message>
        <source>Activation regularisation</source>
        <translation>Aktivierungsregularisierung</translation>
    </message>
    <message>
        <source>lstm: AR, alpha x mean squared dropped output of the last layer added to the loss (AWD-LSTM: 2); 0: off</source>
        <translation>lstm: AR, alpha x mittleres Quadrat der gedropten Ausgabe der letzten Schicht, zum Verlust addiert (AWD-LSTM: 2); 0: aus</translation>
    </message>
    <message>
        <source>Temporal activation regularisation</source>
        <translation>Zeitliche Aktivierungsregularisierung</translation>
    </message>
    <message>
        <source>lstm: TAR, beta x mean squared change of the last layer&apos;s output from step to step (AWD-LSTM: 1); 0: off</source>
        <translation>lstm: TAR, beta x mittlere quadrierte Änderung der Ausgabe der letzten Schicht von Schritt zu Schritt (AWD-LSTM: 1); 0: aus</translation>
    </message>
    <message>
        <source>Soft-target weight</source>
        <translation>Gewicht der weichen Ziele</translation>
    </message>
    <message>
        <source>distill: alpha in L = alpha T^2 KL(p_T || q_T) + (1 - alpha) CE, the weight of the teacher&apos;s softened outputs (Hinton et al. 2015); 0: the labels alone</source>
        <translation>distill: alpha in L = alpha T^2 KL(p_T || q_T) + (1 - alpha) CE, das Gewicht der geglätteten Ausgaben des Lehrers (Hinton et al. 2015); 0: nur die Labels</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>distill: T, dividing both models&apos; logits before the softmax of the soft term (DistilBERT: 2; Hinton et al.: 2.5 to 4 for very small students)</source>
        <translation>distill: T, durch das die Logits beider Modelle vor dem Softmax des weichen Terms geteilt werden (DistilBERT: 2; Hinton et al.: 2,5 bis 4 für sehr kleine Schüler)</translation>
    </message>
    <message>
        <source>Teacher top-k cache</source>
        <translation>Top-k-Zwischenspeicher des Lehrers</translation>
    </message>
    <message>
        <source>distill: compute the teacher&apos;s k largest logits at every training position once, into a memory-mapped file, and train against them (renormalised over the k) instead of running the teacher each step; 0: the live teacher</source>
        <translation>distill: die k größten Logits des Lehrers an jeder Trainingsposition einmal in eine speicherabgebildete Datei berechnen und gegen sie trainieren (über die k renormiert), statt den Lehrer in jedem Schritt zu rechnen; 0: der Lehrer live</translation>
    </message>
    <message>
        <source>Start from teacher layers</source>
        <translation>Mit Schichten des Lehrers beginnen</translation>
    </message>
    <message>
        <source>distill: a Transformer student of the teacher&apos;s width and heads, with a k-th of its blocks, starts from the teacher&apos;s embeddings, final norm and every k-th block (DistilBERT)</source>
        <translation>distill: ein Transformer-Schüler mit Breite und Köpfen des Lehrers und einem k-tel seiner Blöcke beginnt mit den Einbettungen, der letzten Norm und jedem k-ten Block des Lehrers (DistilBERT)</translation>
    </message>
    <message>
        <source>Hidden-state weight</source>
        <translation>Gewicht der verborgenen Zustände</translation>
    </message>
    <message>
        <source>distill: weight of DistilBERT&apos;s cosine term, 1 - cos(W h_student, h_teacher) on the states each model&apos;s output layer reads, W a learned projection from the student&apos;s width to the teacher&apos;s (trained with the student, not kept); 0: off</source>
        <translation>distill: Gewicht von DistilBERTs Kosinusterm, 1 - cos(W h_Schüler, h_Lehrer) auf den Zuständen, die die Ausgabeschicht jedes Modells liest, W eine gelernte Projektion von der Breite des Schülers auf die des Lehrers (mit dem Schüler trainiert, nicht behalten); 0: aus</translation>
    </message>
    <message>
        <source>Kernels</source>
        <translation>Kernel</translation>
    </message>
    <message>
        <source>fused: the engine&apos;s fused CPU kernels for linear layers, GELU and causal attention, on every core; reference: LibTorch&apos;s own ops (always on CUDA and under bf16)</source>
        <translation>fused: die fusionierten CPU-Kernel der Engine für lineare Schichten, GELU und kausale Attention, auf allen Kernen; reference: die eigenen Operationen von LibTorch (immer auf CUDA und unter bf16)</translation>
    </message>
    <message>
        <source>Fraction removed</source>
        <translation>Entfernter Anteil</translation>
    </message>
    <message>
        <source>prune: the fraction of prunable weights set to zero (structured: of the heads, units or channels removed)</source>
        <translation>prune: der Anteil der beschneidbaren Gewichte, der auf null gesetzt wird (strukturiert: der entfernten Köpfe, Einheiten oder Kanäle)</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Schwelle</translation>
    </message>
    <message>
        <source>prune: layer (each tensor its own threshold) or global (one threshold for all)</source>
        <translation>prune: layer (jeder Tensor mit eigener Schwelle) oder global (eine Schwelle für alle)</translation>
    </message>
    <message>
        <source>prune: oneshot, or gradual (Zhu and Gupta 2017) while fine-tuning for finetune_steps</source>
        <translation>prune: oneshot, oder gradual (Zhu und Gupta 2017) während finetune_steps Schritten Feinabstimmung</translation>
    </message>
    <message>
        <source>Calibration batches</source>
        <translation>Kalibrierungs-Batches</translation>
    </message>
    <message>
        <source>quantize: static int8 with activation scales calibrated on this many batches of training text; 0: dynamic int8</source>
        <translation>quantize: statisches int8 mit Aktivierungsskalen, kalibriert auf so vielen Batches Trainingstext; 0: dynamisches int8</translation>
    </message>
    <message>
        <source>SVD energy kept</source>
        <translation>Behaltene SVD-Energie</translation>
    </message>
    <message>
        <source>lowrank: each layer keeps the smallest rank whose singular values hold this fraction of sum sigma^2</source>
        <translation>lowrank: jede Schicht behält den kleinsten Rang, dessen Singulärwerte diesen Anteil der Summe sigma^2 tragen</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>Rang</translation>
    </message>
    <message>
        <source>lowrank: one rank for every layer it makes smaller</source>
        <translation>lowrank: ein Rang für jede Schicht, die dadurch kleiner wird</translation>
    </message>
    <message>
        <source>Parameter budget</source>
        <translation>Parameterbudget</translation>
    </message>
    <message>
        <source>lowrank: the factored layers keep this fraction of their parameters</source>
        <translation>lowrank: die faktorisierten Schichten behalten diesen Anteil ihrer Parameter</translation>
    </message>
    <message>
        <source>Recovery steps</source>
        <translation>Erholungsschritte</translation>
    </message>
    <message>
        <source>fine-tuning steps after a one-shot method (the gradual schedule&apos;s length); 0: none</source>
        <translation>Feinabstimmungsschritte nach einer einmaligen Methode (die Länge des schrittweisen Plans); 0: keine</translation>
    </message>
</context>
<context>
    <name>VariantBoard</name>
    <message>
        <source>run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>parent</source>
        <translation>Elternlauf</translation>
    </message>
    <message>
        <source>method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>non-zeros</source>
        <translation>Nicht-Nullen</translation>
    </message>
    <message>
        <source>file bytes</source>
        <translation>Dateibytes</translation>
    </message>
    <message>
        <source>gzip bytes</source>
        <translation>gzip-Bytes</translation>
    </message>
    <message>
        <source>val ppl</source>
        <translation>Val.-Perplexität</translation>
    </message>
    <message>
        <source>bits/char</source>
        <translation>Bits/Zeichen</translation>
    </message>
    <message>
        <source>latency p50 ms</source>
        <translation>Latenz p50 ms</translation>
    </message>
    <message>
        <source>latency p90 ms</source>
        <translation>Latenz p90 ms</translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation>Token/s</translation>
    </message>
</context>
<context>
    <name>wb::ui::CorpusView</name>
    <message>
        <source>Corpus statistics: %1</source>
        <translation>Korpusstatistik: %1</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>Teil</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Dokumente</translation>
    </message>
    <message>
        <source>Characters</source>
        <translation>Zeichen</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>Tokenizer</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>Vokabular</translation>
    </message>
    <message>
        <source>Train tokens</source>
        <translation>Trainings-Tokens</translation>
    </message>
    <message>
        <source>Validation tokens</source>
        <translation>Validierungs-Tokens</translation>
    </message>
    <message>
        <source>Test tokens</source>
        <translation>Test-Tokens</translation>
    </message>
    <message>
        <source>Bytes/token</source>
        <translation>Bytes/Token</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>Abdeckung</translation>
    </message>
    <message>
        <source>Document lengths</source>
        <translation>Dokumentlängen</translation>
    </message>
    <message>
        <source>Top characters</source>
        <translation>Häufigste Zeichen</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>Train &amp;tokenizer…</source>
        <translation>&amp;Tokenizer trainieren…</translation>
    </message>
    <message>
        <source>&amp;Remove corpus…</source>
        <translation>Korpus &amp;entfernen…</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Schließen</translation>
    </message>
    <message>
        <source>Tokenizers with token caches on this corpus:</source>
        <translation>Tokenizer mit Token-Caches für dieses Korpus:</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: %2 documents, %3 characters, %4 bytes; split %5 (seed %6).</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;: %2 Dokumente, %3 Zeichen, %4 Bytes; Aufteilung %5 (Seed %6).</translation>
    </message>
    <message>
        <source>Removed: %1 duplicates, %2 too short, %3 too long; %4 files skipped.</source>
        <translation>Entfernt: %1 Duplikate, %2 zu kurz, %3 zu lang; %4 Dateien übersprungen.</translation>
    </message>
    <message>
        <source>train</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <source>test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>documents</source>
        <translation>Dokumente</translation>
    </message>
    <message>
        <source>document length in characters</source>
        <translation>Dokumentlänge in Zeichen</translation>
    </message>
    <message>
        <source>occurrences</source>
        <translation>Vorkommen</translation>
    </message>
    <message>
        <source>this corpus has no labels</source>
        <translation>dieses Korpus hat keine Labels</translation>
    </message>
    <message>
        <source>Top tokens</source>
        <translation>Häufigste Tokens</translation>
    </message>
    <message>
        <source>most frequent tokens of %1 (training split)</source>
        <translation>häufigste Tokens von %1 (Trainingsteil)</translation>
    </message>
</context>
<context>
    <name>wb::ui::DesignerDialog</name>
    <message>
        <source>Architecture designer</source>
        <translation>Architektur-Designer</translation>
    </message>
    <message>
        <source>Design A</source>
        <translation>Entwurf A</translation>
    </message>
    <message>
        <source>Design B</source>
        <translation>Entwurf B</translation>
    </message>
    <message>
        <source>Train design &amp;A</source>
        <translation>Entwurf &amp;A trainieren</translation>
    </message>
    <message>
        <source>Train design &amp;B</source>
        <translation>Entwurf &amp;B trainieren</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Schließen</translation>
    </message>
</context>
<context>
    <name>wb::ui::DistillDialog</name>
    <message>
        <source>Distil run %1</source>
        <translation>Lauf %1 destillieren</translation>
    </message>
    <message>
        <source>Run %1 teaches: a new student learns from its softened next-token distributions (alpha T² KL) beside the text itself ((1 − alpha) cross-entropy), reading the teacher&apos;s tokenizer.</source>
        <translation>Lauf %1 lehrt: ein neuer Schüler lernt aus seinen geglätteten Verteilungen des nächsten Tokens (alpha T² KL) neben dem Text selbst ((1 − alpha) Kreuzentropie) und liest mit dem Tokenizer des Lehrers.</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>Schüler</translation>
    </message>
    <message>
        <source>Student &amp;preset:</source>
        <translation>Schüler-&amp;Vorlage:</translation>
    </message>
    <message>
        <source>&amp;Corpus:</source>
        <translation>&amp;Korpus:</translation>
    </message>
    <message>
        <source>Also queue the same student without the teacher (the baseline)</source>
        <translation>Denselben Schüler auch ohne Lehrer einreihen (die Vergleichsbasis)</translation>
    </message>
    <message>
        <source>&amp;Distil</source>
        <translation>&amp;Destillieren</translation>
    </message>
    <message>
        <source>Student: %1 parameters (%2 as fp32), %3 of the teacher&apos;s %4 (1/%5). Context %6, tokenizer %7.</source>
        <translation>Schüler: %1 Parameter (%2 als fp32), %3 der %4 des Lehrers (1/%5). Kontext %6, Tokenizer %7.</translation>
    </message>
    <message>
        <source>Run %1 is a classifier: a new student classifier learns from its softened class distribution beside the labels of a corpus with the same labels.</source>
        <translation>Lauf %1 ist ein Klassifikator: ein neuer Schüler-Klassifikator lernt aus seiner geglätteten Klassenverteilung neben den Labels eines Korpus mit denselben Labels.</translation>
    </message>
</context>
<context>
    <name>wb::ui::DistillView</name>
    <message>
        <source>Loss terms</source>
        <translation>Verlustterme</translation>
    </message>
    <message>
        <source>nats</source>
        <translation>Nats</translation>
    </message>
    <message>
        <source>soft: T² KL(teacher || student)</source>
        <translation>weich: T² KL(Lehrer || Schüler)</translation>
    </message>
    <message>
        <source>hard: cross-entropy</source>
        <translation>hart: Kreuzentropie</translation>
    </message>
    <message>
        <source>loss (their mix)</source>
        <translation>Verlust (ihre Mischung)</translation>
    </message>
    <message>
        <source>Validation perplexity</source>
        <translation>Validierungs-Perplexität</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>Perplexität</translation>
    </message>
    <message>
        <source>student</source>
        <translation>Schüler</translation>
    </message>
    <message>
        <source>teacher</source>
        <translation>Lehrer</translation>
    </message>
    <message>
        <source>Student against teacher (fixed validation batch)</source>
        <translation>Schüler gegen Lehrer (fester Validierungs-Batch)</translation>
    </message>
    <message>
        <source>top-1 agreement</source>
        <translation>Top-1-Übereinstimmung</translation>
    </message>
    <message>
        <source>KL, nats (right)</source>
        <translation>KL, Nats (rechts)</translation>
    </message>
    <message>
        <source>KL(teacher || student), nats</source>
        <translation>KL(Lehrer || Schüler), Nats</translation>
    </message>
    <message>
        <source>student without teacher</source>
        <translation>Schüler ohne Lehrer</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>size (fp32)</source>
        <translation>Größe (fp32)</translation>
    </message>
    <message>
        <source>training tokens/s</source>
        <translation>Trainings-Token/s</translation>
    </message>
    <message>
        <source>validation perplexity</source>
        <translation>Validierungs-Perplexität</translation>
    </message>
    <message>
        <source>Select a distilled run (lmwb distill, or Distil… on a finished run) to see how close its student came to its teacher.</source>
        <translation>Einen destillierten Lauf wählen (lmwb distill oder Destillieren… auf einem fertigen Lauf), um zu sehen, wie nah sein Schüler dem Lehrer kam.</translation>
    </message>
    <message>
        <source>Run %1: %2 distilled from run %3 (its step %4) on %5, alpha %6, temperature %7.</source>
        <translation>Lauf %1: %2, destilliert aus Lauf %3 (dessen Schritt %4) auf %5, alpha %6, Temperatur %7.</translation>
    </message>
    <message>
        <source>run %1</source>
        <translation>Lauf %1</translation>
    </message>
    <message>
        <source>hidden: 1 − cos</source>
        <translation>verborgen: 1 − cos</translation>
    </message>
    <message>
        <source>Validation accuracy</source>
        <translation>Validierungsgenauigkeit</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>Validierungsgenauigkeit</translation>
    </message>
</context>
<context>
    <name>wb::ui::EngineBridge</name>
    <message>
        <source>CUDA is not available: this LibTorch was built without CUDA support, or no NVIDIA GPU is visible.</source>
        <translation>CUDA ist nicht verfügbar: Diese LibTorch wurde ohne CUDA-Unterstützung gebaut, oder es ist keine NVIDIA-GPU sichtbar.</translation>
    </message>
    <message>
        <source>Another import or tokenizer training is still running.</source>
        <translation>Ein anderer Import oder ein Tokenizer-Training läuft noch.</translation>
    </message>
    <message>
        <source>Cancelled; nothing was added.</source>
        <translation>Abgebrochen; nichts wurde hinzugefügt.</translation>
    </message>
    <message>
        <source>import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>compress</source>
        <translation>Komprimieren</translation>
    </message>
    <message>
        <source>measure</source>
        <translation>Messen</translation>
    </message>
    <message>
        <source>sensitivity</source>
        <translation>Empfindlichkeit</translation>
    </message>
    <message>
        <source>Run %1 has no intact checkpoint: it trains again from step 0 with the same seed.</source>
        <translation>Lauf %1 hat keinen intakten Checkpoint: er trainiert mit demselben Seed noch einmal ab Schritt 0.</translation>
    </message>
</context>
<context>
    <name>wb::ui::FinetuneDialog</name>
    <message>
        <source>Fine-tune run %1</source>
        <translation>Lauf %1 feinabstimmen</translation>
    </message>
    <message>
        <source>A new run starts from run %1&apos;s latest checkpoint with its model and tokenizer, trains on the target corpus and records run %1 as its parent.</source>
        <translation>Ein neuer Lauf beginnt beim letzten Checkpoint von Lauf %1 mit dessen Modell und Tokenizer, trainiert auf dem Zielkorpus und vermerkt Lauf %1 als seinen Ursprung.</translation>
    </message>
    <message>
        <source>Target &amp;corpus:</source>
        <translation>Ziel&amp;korpus:</translation>
    </message>
    <message>
        <source>&amp;Fine-tune</source>
        <translation>&amp;Feinabstimmen</translation>
    </message>
    <message>
        <source>Trains %1 of %2 parameters (%3 %, %4 as fp32): %5. Starts from step %6.</source>
        <translation>Trainiert %1 von %2 Parametern (%3 %, %4 als fp32): %5. Beginnt bei Schritt %6.</translation>
    </message>
</context>
<context>
    <name>wb::ui::ImportDialog</name>
    <message>
        <source>Add corpus</source>
        <translation>Korpus hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Add &amp;files…</source>
        <translation>&amp;Dateien hinzufügen…</translation>
    </message>
    <message>
        <source>Add f&amp;older…</source>
        <translation>&amp;Ordner hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Files and folders:</source>
        <translation>Dateien und Ordner:</translation>
    </message>
    <message>
        <source>Automatic (by extension; text in blank-line blocks)</source>
        <translation>Automatisch (nach Endung; Text in Absätzen)</translation>
    </message>
    <message>
        <source>Text: one document per blank-line block (or fortune “%” entry)</source>
        <translation>Text: ein Dokument je Absatz (oder fortune-Eintrag „%“)</translation>
    </message>
    <message>
        <source>Text: one document per file</source>
        <translation>Text: ein Dokument je Datei</translation>
    </message>
    <message>
        <source>Text: one document per line</source>
        <translation>Text: ein Dokument je Zeile</translation>
    </message>
    <message>
        <source>JSON Lines</source>
        <translation>JSON Lines</translation>
    </message>
    <message>
        <source>CSV (RFC 4180, header row)</source>
        <translation>CSV (RFC 4180, Kopfzeile)</translation>
    </message>
    <message>
        <source>TSV (header row)</source>
        <translation>TSV (Kopfzeile)</translation>
    </message>
    <message>
        <source>Labeled folders: one subfolder per class</source>
        <translation>Ordner mit Labels: ein Unterordner je Klasse</translation>
    </message>
    <message>
        <source>Manual pages (roff, .gz)</source>
        <translation>Handbuchseiten (roff, .gz)</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <source>&amp;Text field or column:</source>
        <translation>&amp;Textfeld oder -spalte:</translation>
    </message>
    <message>
        <source>none (unlabeled)</source>
        <translation>keins (ohne Labels)</translation>
    </message>
    <message>
        <source>&amp;Label field or column:</source>
        <translation>&amp;Labelfeld oder -spalte:</translation>
    </message>
    <message>
        <source>every file, or e.g. **/*.py, **/*.md</source>
        <translation>alle Dateien, oder z. B. **/*.py, **/*.md</translation>
    </message>
    <message>
        <source>&amp;Include globs:</source>
        <translation>&amp;Einschließen (Globs):</translation>
    </message>
    <message>
        <source>e.g. **/test/**</source>
        <translation>z. B. **/test/**</translation>
    </message>
    <message>
        <source>E&amp;xclude globs:</source>
        <translation>A&amp;usschließen (Globs):</translation>
    </message>
    <message>
        <source>Refuse the import</source>
        <translation>Import ablehnen</translation>
    </message>
    <message>
        <source>Replace with U+FFFD</source>
        <translation>Durch U+FFFD ersetzen</translation>
    </message>
    <message>
        <source>Skip the document</source>
        <translation>Dokument überspringen</translation>
    </message>
    <message>
        <source>Invalid &amp;UTF-8:</source>
        <translation>Ungültiges &amp;UTF-8:</translation>
    </message>
    <message>
        <source>Skip the record</source>
        <translation>Datensatz überspringen</translation>
    </message>
    <message>
        <source>Malformed &amp;records:</source>
        <translation>Fehlerhafte &amp;Datensätze:</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>keine Grenze</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>Document length (characters):</source>
        <translation>Dokumentlänge (Zeichen):</translation>
    </message>
    <message>
        <source>Normalize to Unicode &amp;NFC</source>
        <translation>Nach Unicode-&amp;NFC normalisieren</translation>
    </message>
    <message>
        <source>train</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <source>test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>Split by document:</source>
        <translation>Aufteilung nach Dokumenten:</translation>
    </message>
    <message>
        <source>Split &amp;seed:</source>
        <translation>&amp;Seed der Aufteilung:</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
    <message>
        <source>Choose text files</source>
        <translation>Textdateien wählen</translation>
    </message>
    <message>
        <source>Text and data (*.txt *.md *.jsonl *.ndjson *.csv *.tsv *.gz);;All files (*)</source>
        <translation>Text und Daten (*.txt *.md *.jsonl *.ndjson *.csv *.tsv *.gz);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>Einen Ordner wählen</translation>
    </message>
    <message>
        <source>Give the corpus a name.</source>
        <translation>Geben Sie dem Korpus einen Namen.</translation>
    </message>
    <message>
        <source>Add at least one file or folder.</source>
        <translation>Fügen Sie mindestens eine Datei oder einen Ordner hinzu.</translation>
    </message>
    <message>
        <source>Name the field or column that holds the text.</source>
        <translation>Nennen Sie das Feld oder die Spalte mit dem Text.</translation>
    </message>
    <message>
        <source>The split fractions add up to %1; they must add up to 1.</source>
        <translation>Die Anteile der Aufteilung ergeben zusammen %1; sie müssen 1 ergeben.</translation>
    </message>
    <message>
        <source>Training and validation need a fraction above 0.</source>
        <translation>Training und Validierung brauchen einen Anteil über 0.</translation>
    </message>
    <message>
        <source>The maximum document length is below the minimum.</source>
        <translation>Die größte Dokumentlänge liegt unter der kleinsten.</translation>
    </message>
    <message>
        <source>Corpus name: %1.</source>
        <translation>Korpusname: %1.</translation>
    </message>
</context>
<context>
    <name>wb::ui::MainWindow</name>
    <message>
        <source>LM Workbench</source>
        <translation>LM-Werkbank</translation>
    </message>
    <message>
        <source>&amp;Logarithmic scale</source>
        <translation>&amp;Logarithmische Skala</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Run:</source>
        <translation>Lauf:</translation>
    </message>
    <message>
        <source>Step:</source>
        <translation>Schritt:</translation>
    </message>
    <message>
        <source>Tokens/s:</source>
        <translation>Tokens/s:</translation>
    </message>
    <message>
        <source>Time left:</source>
        <translation>Restzeit:</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>Parameter:</translation>
    </message>
    <message>
        <source>Size (fp32):</source>
        <translation>Größe (fp32):</translation>
    </message>
    <message>
        <source>Validation:</source>
        <translation>Validierung:</translation>
    </message>
    <message>
        <source>Latest sample</source>
        <translation>Neueste Textprobe</translation>
    </message>
    <message>
        <source>Text generated by the model appears here at every evaluation.</source>
        <translation>Hier erscheint bei jeder Auswertung ein vom Modell erzeugter Text.</translation>
    </message>
    <message>
        <source>Runs in the catalog</source>
        <translation>Läufe im Katalog</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Add corpus…</source>
        <translation>Korpus &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About LM Workbench</source>
        <translation>Ü&amp;ber LM-Werkbank</translation>
    </message>
    <message>
        <source>About LM Workbench</source>
        <translation>Über LM-Werkbank</translation>
    </message>
    <message>
        <source>&lt;b&gt;LM Workbench&lt;/b&gt; %1&lt;br&gt;Design, train, shrink and compare small language models.&lt;br&gt;Catalog: %2</source>
        <translation>&lt;b&gt;LM-Werkbank&lt;/b&gt; %1&lt;br&gt;Kleine Sprachmodelle entwerfen, trainieren, verkleinern und vergleichen.&lt;br&gt;Katalog: %2</translation>
    </message>
    <message>
        <source>Catalog: %1</source>
        <translation>Katalog: %1</translation>
    </message>
    <message>
        <source>Training in progress</source>
        <translation>Training läuft</translation>
    </message>
    <message>
        <source>A run is still training. Stop it (its checkpoint is kept) and quit?</source>
        <translation>Ein Lauf trainiert noch. Anhalten (sein Checkpoint bleibt erhalten) und beenden?</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>Katalog</translation>
    </message>
    <message>
        <source>Importing the default corpus (Debian fortunes)…</source>
        <translation>Standardkorpus wird importiert (Debian-Fortunes)…</translation>
    </message>
    <message>
        <source>Cannot train</source>
        <translation>Training nicht möglich</translation>
    </message>
    <message>
        <source>run %1: starting…</source>
        <translation>Lauf %1: startet…</translation>
    </message>
    <message>
        <source>run %1: stopping…</source>
        <translation>Lauf %1: wird angehalten…</translation>
    </message>
    <message>
        <source>Add corpus</source>
        <translation>Korpus hinzufügen</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>%1 wird importiert…</translation>
    </message>
    <message>
        <source>Import of %1 failed</source>
        <translation>Import von %1 fehlgeschlagen</translation>
    </message>
    <message>
        <source>The corpus “%1” was not added:

%2</source>
        <translation>Das Korpus „%1“ wurde nicht hinzugefügt:

%2</translation>
    </message>
    <message>
        <source>Corpus %1 ready: press Train</source>
        <translation>Korpus %1 bereit: Trainieren drücken</translation>
    </message>
    <message>
        <source>loss %1, perplexity %2, %3 bits/char</source>
        <translation>Verlust %1, Perplexität %2, %3 Bit/Zeichen</translation>
    </message>
    <message>
        <source>[step %1]</source>
        <translation>[Schritt %1]</translation>
    </message>
    <message>
        <source>run %1: training on %2</source>
        <translation>Lauf %1: trainiert auf %2</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>run %1: %2</source>
        <translation>Lauf %1: %2</translation>
    </message>
    <message>
        <source>Run failed</source>
        <translation>Lauf fehlgeschlagen</translation>
    </message>
    <message>
        <source>Run %1 failed:

%2</source>
        <translation>Lauf %1 ist fehlgeschlagen:

%2</translation>
    </message>
    <message>
        <source>No corpus yet: add UTF-8 text files with “Add…”.</source>
        <translation>Noch kein Korpus: UTF-8-Textdateien mit „Hinzufügen…“ aufnehmen.</translation>
    </message>
    <message>
        <source>Add &amp;system corpus</source>
        <translation>&amp;Systemkorpus hinzufügen</translation>
    </message>
    <message>
        <source>%1 — %2 (%3 files, %4)</source>
        <translation>%1 — %2 (%3 Dateien, %4)</translation>
    </message>
    <message>
        <source>none found on this machine</source>
        <translation>auf diesem Rechner keins gefunden</translation>
    </message>
    <message>
        <source>Corpus &amp;statistics…</source>
        <translation>Korpus&amp;statistik…</translation>
    </message>
    <message>
        <source>Train &amp;tokenizer…</source>
        <translation>&amp;Tokenizer trainieren…</translation>
    </message>
    <message>
        <source>Add system corpus</source>
        <translation>Systemkorpus hinzufügen</translation>
    </message>
    <message>
        <source>Importing the system corpus %1…</source>
        <translation>Systemkorpus %1 wird importiert…</translation>
    </message>
    <message>
        <source>Train tokenizer</source>
        <translation>Tokenizer trainieren</translation>
    </message>
    <message>
        <source>Training tokenizer %1 on %2…</source>
        <translation>Tokenizer %1 wird auf %2 trainiert…</translation>
    </message>
    <message>
        <source>Tokenizer %1 was not trained</source>
        <translation>Tokenizer %1 wurde nicht trainiert</translation>
    </message>
    <message>
        <source>The tokenizer “%1” was not trained:

%2</source>
        <translation>Der Tokenizer „%1“ wurde nicht trainiert:

%2</translation>
    </message>
    <message>
        <source>Tokenizer %1 ready: choose it under Tokenizer</source>
        <translation>Tokenizer %1 ist bereit: unter „Tokenizer“ auswählen</translation>
    </message>
    <message>
        <source>Remove corpus</source>
        <translation>Korpus entfernen</translation>
    </message>
    <message>
        <source>Remove the corpus “%1” and its files from the catalog? Tokenizers trained on it stay.</source>
        <translation>Das Korpus „%1“ und seine Dateien aus dem Katalog entfernen? Darauf trainierte Tokenizer bleiben erhalten.</translation>
    </message>
    <message>
        <source>Corpus %1 removed</source>
        <translation>Korpus %1 entfernt</translation>
    </message>
    <message>
        <source>Architecture &amp;designer…</source>
        <translation>Architektur-&amp;Designer…</translation>
    </message>
    <message>
        <source>&amp;Resume run</source>
        <translation>Lauf &amp;fortsetzen</translation>
    </message>
    <message>
        <source>Continue the selected stopped, interrupted or diverged run from its last checkpoint</source>
        <translation>Den gewählten angehaltenen, unterbrochenen oder divergierten Lauf ab seinem letzten Checkpoint fortsetzen</translation>
    </message>
    <message>
        <source>Cannot resume</source>
        <translation>Fortsetzen nicht möglich</translation>
    </message>
    <message>
        <source>run %1: resuming…</source>
        <translation>Lauf %1: wird fortgesetzt…</translation>
    </message>
    <message>
        <source>Step time by phase (data, forward, backward, optimizer), model FLOP/s against this machine&apos;s measured matmul peak, and the process&apos;s memory</source>
        <translation>Schrittzeit nach Phase (Daten, Vorwärts, Rückwärts, Optimierer), Modell-FLOP/s gegenüber der gemessenen Matmul-Spitze dieses Rechners und der Speicher des Prozesses</translation>
    </message>
    <message>
        <source>Compute:</source>
        <translation>Rechnen:</translation>
    </message>
    <message>
        <source>data %1 · forward %2 · backward %3 · optimizer %4 ms</source>
        <translation>Daten %1 · vorwärts %2 · rückwärts %3 · Optimierer %4 ms</translation>
    </message>
    <message>
        <source>%1 GFLOP/s</source>
        <translation>%1 GFLOP/s</translation>
    </message>
    <message>
        <source>(%1 % of the matmul peak)</source>
        <translation>(%1 % der Matmul-Spitze)</translation>
    </message>
    <message>
        <source>%1 MB resident</source>
        <translation>%1 MB resident</translation>
    </message>
    <message>
        <source>Loss and perplexity</source>
        <translation>Verlust und Perplexität</translation>
    </message>
    <message>
        <source>Performance</source>
        <translation>Leistung</translation>
    </message>
    <message>
        <source>Sweeps</source>
        <translation>Sweeps</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Run s&amp;weep file…</source>
        <translation>S&amp;weep-Datei ausführen…</translation>
    </message>
    <message>
        <source>Cannot queue the run</source>
        <translation>Lauf kann nicht eingereiht werden</translation>
    </message>
    <message>
        <source>Run %1 queued</source>
        <translation>Lauf %1 eingereiht</translation>
    </message>
    <message>
        <source>A queued run is still training. Quit? It goes back to the queue with a checkpoint and continues at the next start.</source>
        <translation>Ein Lauf aus der Warteschlange trainiert noch. Beenden? Er kehrt mit einem Checkpoint in die Warteschlange zurück und wird beim nächsten Start fortgesetzt.</translation>
    </message>
    <message>
        <source>&amp;Fine-tune…</source>
        <translation>&amp;Feinabstimmen…</translation>
    </message>
    <message>
        <source>Adapt the selected run to a target corpus: a new run that records it as its parent</source>
        <translation>Den gewählten Lauf an ein Zielkorpus anpassen: ein neuer Lauf, der ihn als Ursprung vermerkt</translation>
    </message>
    <message>
        <source>Cannot fine-tune</source>
        <translation>Feinabstimmung nicht möglich</translation>
    </message>
    <message>
        <source>run %1: fine-tuning run %2…</source>
        <translation>Lauf %1: stimmt Lauf %2 fein ab…</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <source>loss %1, accuracy %2</source>
        <translation>Verlust %1, Genauigkeit %2</translation>
    </message>
    <message>
        <source>Distillation</source>
        <translation>Destillation</translation>
    </message>
    <message>
        <source>&amp;Distil…</source>
        <translation>&amp;Destillieren…</translation>
    </message>
    <message>
        <source>Teach a smaller student with the selected run: a new run that records it as its teacher</source>
        <translation>Mit dem gewählten Lauf einen kleineren Schüler lehren: ein neuer Lauf, der ihn als Lehrer vermerkt</translation>
    </message>
    <message>
        <source>Cannot distil</source>
        <translation>Destillieren nicht möglich</translation>
    </message>
    <message>
        <source>run %1: distilling run %2…</source>
        <translation>Lauf %1: destilliert Lauf %2…</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Varianten</translation>
    </message>
    <message>
        <source>What if</source>
        <translation>Was wäre wenn</translation>
    </message>
    <message>
        <source>De&amp;lete run…</source>
        <translation>Lauf &amp;löschen…</translation>
    </message>
    <message>
        <source>Delete the selected run from the catalog with its checkpoints and files</source>
        <translation>Den ausgewählten Lauf mit seinen Checkpoints und Dateien aus dem Katalog löschen</translation>
    </message>
    <message>
        <source>Delete run %1 with its checkpoints, metrics and samples? This cannot be undone.</source>
        <translation>Lauf %1 mit seinen Checkpoints, Metriken und Textproben löschen? Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Delete run</source>
        <translation>Lauf löschen</translation>
    </message>
    <message>
        <source>Run %1 deleted</source>
        <translation>Lauf %1 gelöscht</translation>
    </message>
    <message>
        <source>Runs built on run %1 (fine-tuned, distilled or compressed from it): %2. Delete run %1 and all of them, with their checkpoints, metrics and samples? This cannot be undone.</source>
        <translation>Auf Lauf %1 aufbauende Läufe (daraus feinabgestimmt, destilliert oder komprimiert): %2. Lauf %1 und alle diese mit ihren Checkpoints, Metriken und Textproben löschen? Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Run %1 and the runs built on it deleted (%2 runs in all)</source>
        <translation>Lauf %1 und die darauf aufbauenden Läufe gelöscht (%2 Läufe insgesamt)</translation>
    </message>
</context>
<context>
    <name>wb::ui::PerformancePlot</name>
    <message>
        <source>data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <source>forward</source>
        <translation>vorwärts</translation>
    </message>
    <message>
        <source>backward</source>
        <translation>rückwärts</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>Optimierer</translation>
    </message>
    <message>
        <source> (ms/step)</source>
        <translation> (ms/Schritt)</translation>
    </message>
    <message>
        <source>utilisation (% of the matmul peak)</source>
        <translation>Auslastung (% der Matmul-Spitze)</translation>
    </message>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>milliseconds per step</source>
        <translation>Millisekunden pro Schritt</translation>
    </message>
    <message>
        <source>% of the matmul peak</source>
        <translation>% der Matmul-Spitze</translation>
    </message>
    <message>
        <source>resident memory (MB)</source>
        <translation>residenter Speicher (MB)</translation>
    </message>
    <message>
        <source>memory (MB)</source>
        <translation>Speicher (MB)</translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation>Token/s</translation>
    </message>
</context>
<context>
    <name>wb::ui::QueuePanel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Corpus</source>
        <translation>Korpus</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>Architektur</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>Sweep</translation>
    </message>
    <message>
        <source>Train queued runs</source>
        <translation>Wartende Läufe trainieren</translation>
    </message>
    <message>
        <source>When this window trains nothing, take the next queued run (one per device at a time; `lmwb queue run` can share the queue)</source>
        <translation>Wenn dieses Fenster nichts trainiert, den nächsten wartenden Lauf nehmen (je Gerät einer zur Zeit; `lmwb queue run` kann die Warteschlange mitnutzen)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausieren</translation>
    </message>
    <message>
        <source>Hold a queued run; a running one saves a checkpoint and waits</source>
        <translation>Einen wartenden Lauf zurückhalten; ein laufender speichert einen Checkpoint und wartet</translation>
    </message>
    <message>
        <source>Re&amp;sume</source>
        <translation>Fort&amp;setzen</translation>
    </message>
    <message>
        <source>Put a paused, stopped or interrupted run back in the queue</source>
        <translation>Einen pausierten, angehaltenen oder unterbrochenen Lauf wieder einreihen</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>Take the run out of the queue (a running one stops after a checkpoint)</source>
        <translation>Den Lauf aus der Warteschlange nehmen (ein laufender endet nach einem Checkpoint)</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>Nach &amp;oben</translation>
    </message>
    <message>
        <source>Train this run earlier</source>
        <translation>Diesen Lauf früher trainieren</translation>
    </message>
    <message>
        <source>Move do&amp;wn</source>
        <translation>Nach &amp;unten</translation>
    </message>
    <message>
        <source>Train this run later</source>
        <translation>Diesen Lauf später trainieren</translation>
    </message>
    <message>
        <source> (pausing)</source>
        <translation> (wird pausiert)</translation>
    </message>
    <message>
        <source> (cancelling)</source>
        <translation> (wird abgebrochen)</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
</context>
<context>
    <name>wb::ui::RunSetupPanel</name>
    <message>
        <source>Run setup</source>
        <translation>Laufeinstellungen</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Hinzufügen…</translation>
    </message>
    <message>
        <source>Import UTF-8 text files as a new corpus</source>
        <translation>UTF-8-Textdateien als neues Korpus importieren</translation>
    </message>
    <message>
        <source>&amp;Corpus:</source>
        <translation>&amp;Korpus:</translation>
    </message>
    <message>
        <source>&amp;Preset:</source>
        <translation>&amp;Vorlage:</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>&amp;Trainieren</translation>
    </message>
    <message>
        <source>St&amp;op</source>
        <translation>An&amp;halten</translation>
    </message>
    <message>
        <source>%1 parameters (vocabulary %2), %3 as fp32</source>
        <translation>%1 Parameter (Vokabular %2), %3 als fp32</translation>
    </message>
    <message>
        <source>Statistics…</source>
        <translation>Statistik…</translation>
    </message>
    <message>
        <source>Documents, splits, tokenizers, length histogram and labels of this corpus</source>
        <translation>Dokumente, Aufteilung, Tokenizer, Längenhistogramm und Labels dieses Korpus</translation>
    </message>
    <message>
        <source>Any tokenizer in the catalog; the corpus is encoded with it once, then reused</source>
        <translation>Jeder Tokenizer im Katalog; das Korpus wird einmal damit kodiert und dann wiederverwendet</translation>
    </message>
    <message>
        <source>characters of the corpus</source>
        <translation>Zeichen des Korpus</translation>
    </message>
    <message>
        <source>T&amp;okenizer:</source>
        <translation>T&amp;okenizer:</translation>
    </message>
    <message>
        <source>%1 (%2, %3 tokens)</source>
        <translation>%1 (%2, %3 Tokens)</translation>
    </message>
    <message>
        <source>Design…</source>
        <translation>Entwerfen…</translation>
    </message>
    <message>
        <source>Design an architecture of any family and compare two side by side</source>
        <translation>Eine Architektur beliebiger Familie entwerfen und zwei nebeneinander vergleichen</translation>
    </message>
    <message>
        <source>Add to &amp;queue</source>
        <translation>In die &amp;Warteschlange</translation>
    </message>
    <message>
        <source>Queue this run: queued runs train one after another (one per device), also after a restart</source>
        <translation>Diesen Lauf einreihen: wartende Läufe trainieren nacheinander (einer je Gerät), auch nach einem Neustart</translation>
    </message>
    <message>
        <source>More settings</source>
        <translation>Weitere Einstellungen</translation>
    </message>
</context>
<context>
    <name>wb::ui::RunsTable</name>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Corpus</source>
        <translation>Korpus</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>Architektur</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Erstellt (UTC)</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>wartend</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>unterbrochen</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>divergiert</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Herkunft</translation>
    </message>
    <message>
        <source>run %1 · %2</source>
        <translation>Lauf %1 · %2</translation>
    </message>
    <message>
        <source>Fine-tuned from run %1 (its step %2) on %3 with %4: trains %5</source>
        <translation>Feinabgestimmt aus Lauf %1 (dessen Schritt %2) auf %3 mit %4: trainiert %5</translation>
    </message>
    <message>
        <source>%1 trainable parameters</source>
        <translation>%1 trainierbare Parameter</translation>
    </message>
    <message>
        <source>%1 stored</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>run %1 · distilled</source>
        <translation>Lauf %1 · destilliert</translation>
    </message>
    <message>
        <source>Distilled from run %1 (its step %2) on %3: alpha %4, temperature %5</source>
        <translation>Destilliert aus Lauf %1 (dessen Schritt %2) auf %3: alpha %4, Temperatur %5</translation>
    </message>
    <message>
        <source>int8</source>
        <translation>int8</translation>
    </message>
    <message>
        <source>low rank</source>
        <translation>niedriger Rang</translation>
    </message>
    <message>
        <source>%1 pruned</source>
        <translation>%1 beschnitten</translation>
    </message>
    <message>
        <source>pruned %1%</source>
        <translation>zu %1 % beschnitten</translation>
    </message>
    <message>
        <source>A variant of run %1: %2</source>
        <translation>Eine Variante von Lauf %1: %2</translation>
    </message>
    <message>
        <source>refused (bad input)</source>
        <translation>abgelehnt (fehlerhafte Eingabe)</translation>
    </message>
</context>
<context>
    <name>wb::ui::SpecEditor</name>
    <message>
        <source>&amp;Family:</source>
        <translation>&amp;Familie:</translation>
    </message>
    <message>
        <source>&amp;Vocabulary:</source>
        <translation>&amp;Vokabular:</translation>
    </message>
    <message>
        <source>&amp;Batch (for memory):</source>
        <translation>&amp;Batch (für den Speicher):</translation>
    </message>
    <message>
        <source>&amp;Load…</source>
        <translation>&amp;Laden…</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>&amp;Speichern…</translation>
    </message>
    <message>
        <source>Load a model spec</source>
        <translation>Eine Modellspezifikation laden</translation>
    </message>
    <message>
        <source>Model specs (*.json)</source>
        <translation>Modellspezifikationen (*.json)</translation>
    </message>
    <message>
        <source>Save the model spec</source>
        <translation>Die Modellspezifikation speichern</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 parameters&lt;/b&gt; = %2</source>
        <translation>&lt;b&gt;%1 Parameter&lt;/b&gt; = %2</translation>
    </message>
    <message>
        <source>fp32 %1, int8 %2&lt;br&gt;%3 FLOP/token to train, %4 to infer&lt;br&gt;about %5 to train with batch %6 × %7</source>
        <translation>fp32 %1, int8 %2&lt;br&gt;%3 FLOP/Token im Training, %4 in der Inferenz&lt;br&gt;etwa %5 zum Trainieren mit Batch %6 × %7</translation>
    </message>
</context>
<context>
    <name>wb::ui::SweepView</name>
    <message>
        <source>&amp;Run sweep file…</source>
        <translation>Sweep-Datei &amp;ausführen…</translation>
    </message>
    <message>
        <source>Queue a grid or random sweep described in a JSON file (see docs/training.md)</source>
        <translation>Einen Raster- oder Zufalls-Sweep aus einer JSON-Datei einreihen (siehe docs/training.md)</translation>
    </message>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>validation loss (nats/token)</source>
        <translation>Validierungsverlust (Nats/Token)</translation>
    </message>
    <message>
        <source>Sweep:</source>
        <translation>Sweep:</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>No sweeps yet: run one from a sweep file, or with `lmwb sweep FILE.json`.</source>
        <translation>Noch keine Sweeps: einen aus einer Sweep-Datei starten oder mit `lmwb sweep DATEI.json`.</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Val. loss</source>
        <translation>Val.-Verlust</translation>
    </message>
    <message>
        <source>Val. perplexity</source>
        <translation>Val.-Perplexität</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>run %1: %2</source>
        <translation>Lauf %1: %2</translation>
    </message>
    <message>
        <source>%1 runs, %2 finished; best first (sorted by validation loss). Double-click a run to show it.</source>
        <translation>%1 Läufe, %2 beendet; die besten zuerst (nach Validierungsverlust). Doppelklick zeigt einen Lauf.</translation>
    </message>
    <message>
        <source>Run sweep file</source>
        <translation>Sweep-Datei ausführen</translation>
    </message>
    <message>
        <source>Sweep files (*.json)</source>
        <translation>Sweep-Dateien (*.json)</translation>
    </message>
    <message>
        <source>Cannot run the sweep</source>
        <translation>Sweep kann nicht ausgeführt werden</translation>
    </message>
</context>
<context>
    <name>wb::ui::TaskView</name>
    <message>
        <source>Select a fine-tuned run to see its task.</source>
        <translation>Wählen Sie einen feinabgestimmten Lauf, um seine Aufgabe zu sehen.</translation>
    </message>
    <message>
        <source>predicted class</source>
        <translation>vorhergesagte Klasse</translation>
    </message>
    <message>
        <source>true class</source>
        <translation>wahre Klasse</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>Trefferquote</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>Generated</source>
        <translation>Erzeugt</translation>
    </message>
    <message>
        <source>No task report: a language-model run is scored by its loss and perplexity.</source>
        <translation>Kein Aufgabenbericht: ein Sprachmodell-Lauf wird an Verlust und Perplexität gemessen.</translation>
    </message>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>loss term</source>
        <translation>Verlustterm</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>Trainable</source>
        <translation>Trainierbar</translation>
    </message>
    <message>
        <source>Stored</source>
        <translation>Gespeichert</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Metrik</translation>
    </message>
    <message>
        <source>Every run fine-tuned from the same parent: what each method cost and what it reached</source>
        <translation>Jeder vom selben Elternlauf feinabgestimmte Lauf: was jede Methode gekostet und was sie erreicht hat</translation>
    </message>
    <message>
        <source>Run %1: task %2, method %3</source>
        <translation>Lauf %1: Aufgabe %2, Methode %3</translation>
    </message>
    <message>
        <source>, fine-tuned from run %1</source>
        <translation>, feinabgestimmt von Lauf %1</translation>
    </message>
    <message>
        <source>Accuracy %1 and macro-F1 %2 on %3 validation documents; always answering &apos;%4&apos; (the majority class) gives accuracy %5.</source>
        <translation>Genauigkeit %1 und Makro-F1 %2 auf %3 Validierungsdokumenten; immer '%4' zu antworten (die häufigste Klasse) ergibt Genauigkeit %5.</translation>
    </message>
    <message>
        <source>share of the true class</source>
        <translation>Anteil der wahren Klasse</translation>
    </message>
    <message>
        <source>Exact match %1, BLEU %2 over %3 generated answers.</source>
        <translation>Exakte Treffer %1, BLEU %2 über %3 erzeugte Antworten.</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>accuracy %1</source>
        <translation>Genauigkeit %1</translation>
    </message>
    <message>
        <source>BLEU %1</source>
        <translation>BLEU %1</translation>
    </message>
    <message>
        <source>val loss %1</source>
        <translation>Val.-Verlust %1</translation>
    </message>
</context>
<context>
    <name>wb::ui::TrainingPlot</name>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>training loss (nats/token)</source>
        <translation>Trainingsverlust (Nats/Token)</translation>
    </message>
    <message>
        <source>validation perplexity</source>
        <translation>Validierungs-Perplexität</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>Trainingsverlust</translation>
    </message>
    <message>
        <source>training loss (smoothed)</source>
        <translation>Trainingsverlust (geglättet)</translation>
    </message>
</context>
<context>
    <name>wb::ui::VariantBoard</name>
    <message>
        <source>file bytes</source>
        <translation>Dateibytes</translation>
    </message>
    <message>
        <source>gzip bytes</source>
        <translation>gzip-Bytes</translation>
    </message>
    <message>
        <source>latency p50 (ms, batch 1)</source>
        <translation>Latenz p50 (ms, Batch 1)</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>non-zero parameters</source>
        <translation>Parameter ungleich null</translation>
    </message>
    <message>
        <source>validation perplexity</source>
        <translation>Validierungs-Perplexität</translation>
    </message>
    <message>
        <source>bits per character</source>
        <translation>Bits pro Zeichen</translation>
    </message>
    <message>
        <source>validation loss</source>
        <translation>Validierungsverlust</translation>
    </message>
    <message>
        <source>log x</source>
        <translation>x logarithmisch</translation>
    </message>
    <message>
        <source>&amp;Compress…</source>
        <translation>&amp;Komprimieren…</translation>
    </message>
    <message>
        <source>Make a pruned, int8 or low-rank variant of the run selected in the table</source>
        <translation>Eine beschnittene, int8- oder Niedrigrang-Variante des in der Tabelle gewählten Laufs erzeugen</translation>
    </message>
    <message>
        <source>&amp;Measure</source>
        <translation>&amp;Messen</translation>
    </message>
    <message>
        <source>Measure the runs on the board that have no measurement: quality, file size, latency, throughput</source>
        <translation>Die noch nicht gemessenen Läufe der Übersicht messen: Qualität, Dateigröße, Latenz, Durchsatz</translation>
    </message>
    <message>
        <source>Export board…</source>
        <translation>Übersicht exportieren…</translation>
    </message>
    <message>
        <source>Export table…</source>
        <translation>Tabelle exportieren…</translation>
    </message>
    <message>
        <source>x:</source>
        <translation>x:</translation>
    </message>
    <message>
        <source>y:</source>
        <translation>y:</translation>
    </message>
    <message>
        <source>Select two rows to compare them side by side.</source>
        <translation>Zwei Zeilen wählen, um sie nebeneinander zu vergleichen.</translation>
    </message>
    <message>
        <source>Export the board</source>
        <translation>Übersicht exportieren</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)</source>
        <translation>PNG-Bild (*.png);;SVG-Zeichnung (*.svg);;PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <source>Export the table</source>
        <translation>Tabelle exportieren</translation>
    </message>
    <message>
        <source>CSV table (*.csv);;LaTeX table (*.tex)</source>
        <translation>CSV-Tabelle (*.csv);;LaTeX-Tabelle (*.tex)</translation>
    </message>
    <message>
        <source>Compression failed: %1</source>
        <translation>Komprimieren fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Run %1 made and measured.</source>
        <translation>Lauf %1 erzeugt und gemessen.</translation>
    </message>
    <message>
        <source>Measured.</source>
        <translation>Gemessen.</translation>
    </message>
    <message>
        <source>Measuring failed: %1</source>
        <translation>Messen fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Select a run: its family of variants appears here.</source>
        <translation>Einen Lauf wählen: seine Familie von Varianten erscheint hier.</translation>
    </message>
    <message>
        <source>Sizes are file bytes and speeds are measured (batch-1 next-token latency, batch-16 tokens/s, one thread); circled points are on the Pareto frontier.</source>
        <translation>Größen sind Dateibytes, Geschwindigkeiten gemessen (Latenz des nächsten Tokens bei Batch 1, Token/s bei Batch 16, ein Thread); eingekreiste Punkte liegen auf der Pareto-Front.</translation>
    </message>
    <message>
        <source>run %1</source>
        <translation>Lauf %1</translation>
    </message>
    <message>
        <source>run %1 — %2 (%3)</source>
        <translation>Lauf %1 — %2 (%3)</translation>
    </message>
    <message>
        <source>parent: run %1</source>
        <translation>Elternlauf: Lauf %1</translation>
    </message>
    <message>
        <source>not measured yet</source>
        <translation>noch nicht gemessen</translation>
    </message>
    <message>
        <source>perplexity %1, %2 bits/char</source>
        <translation>Perplexität %1, %2 Bits/Zeichen</translation>
    </message>
    <message>
        <source>%1 parameters, %2 non-zero</source>
        <translation>%1 Parameter, %2 ungleich null</translation>
    </message>
    <message>
        <source>file %1 bytes (gzip %2)</source>
        <translation>Datei %1 Bytes (gzip %2)</translation>
    </message>
    <message>
        <source>latency p50 %1 ms, p90 %2 ms; %3 tokens/s</source>
        <translation>Latenz p50 %1 ms, p90 %2 ms; %3 Token/s</translation>
    </message>
    <message>
        <source>ratio</source>
        <translation>Verhältnis</translation>
    </message>
    <message>
        <source>Pareto frontier</source>
        <translation>Pareto-Front</translation>
    </message>
    <message>
        <source>LM Workbench variant board</source>
        <translation>Variantenübersicht der LM-Werkbank</translation>
    </message>
    <message>
        <source>%1: export the board as .png, .svg or .pdf</source>
        <translation>%1: die Übersicht als .png, .svg oder .pdf exportieren</translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation>%1 lässt sich nicht schreiben</translation>
    </message>
    <message>
        <source>%1: export the table as .csv or .tex</source>
        <translation>%1: die Tabelle als .csv oder .tex exportieren</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 lässt sich nicht schreiben: %2</translation>
    </message>
    <message>
        <source>Compress run %1</source>
        <translation>Lauf %1 komprimieren</translation>
    </message>
    <message>
        <source>int8 quantization (linear layers and embeddings)</source>
        <translation>int8-Quantisierung (lineare Schichten und Einbettungen)</translation>
    </message>
    <message>
        <source>magnitude pruning (unstructured)</source>
        <translation>Beschneiden nach Betrag (unstrukturiert)</translation>
    </message>
    <message>
        <source>structured pruning: attention heads</source>
        <translation>strukturiertes Beschneiden: Attention-Köpfe</translation>
    </message>
    <message>
        <source>structured pruning: MLP units</source>
        <translation>strukturiertes Beschneiden: MLP-Einheiten</translation>
    </message>
    <message>
        <source>structured pruning: LSTM units</source>
        <translation>strukturiertes Beschneiden: LSTM-Einheiten</translation>
    </message>
    <message>
        <source>structured pruning: CNN channels</source>
        <translation>strukturiertes Beschneiden: CNN-Kanäle</translation>
    </message>
    <message>
        <source>low-rank factorization (truncated SVD)</source>
        <translation>Niedrigrang-Faktorisierung (abgeschnittene SVD)</translation>
    </message>
    <message>
        <source>each layer its own threshold</source>
        <translation>jede Schicht mit eigener Schwelle</translation>
    </message>
    <message>
        <source>one global threshold</source>
        <translation>eine globale Schwelle</translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation>&amp;Methode:</translation>
    </message>
    <message>
        <source>&amp;Fraction removed:</source>
        <translation>&amp;Entfernter Anteil:</translation>
    </message>
    <message>
        <source>&amp;Threshold:</source>
        <translation>&amp;Schwelle:</translation>
    </message>
    <message>
        <source>SVD &amp;energy kept:</source>
        <translation>Behaltene SVD-&amp;Energie:</translation>
    </message>
    <message>
        <source>The variant is a new run with run %1 as its parent. Fine-tune it afterwards (Fine-tune… on the run) to recover what it lost; an int8 variant does not train.</source>
        <translation>Die Variante ist ein neuer Lauf mit Lauf %1 als Elternlauf. Danach feinabstimmen („Feinabstimmen…“ auf dem Lauf), um Verlorenes zurückzugewinnen; eine int8-Variante trainiert nicht.</translation>
    </message>
    <message>
        <source>Compress</source>
        <translation>Komprimieren</translation>
    </message>
    <message>
        <source>Cannot compress run %1: %2</source>
        <translation>Lauf %1 lässt sich nicht komprimieren: %2</translation>
    </message>
    <message>
        <source>Compressing run %1…</source>
        <translation>Lauf %1 wird komprimiert…</translation>
    </message>
    <message>
        <source>Not measured yet: %1 of the runs here. Press Measure.</source>
        <translation>Noch nicht gemessen: %1 der Läufe hier. „Messen“ drücken.</translation>
    </message>
    <message>
        <source>Measuring %1 of the runs here…</source>
        <translation>%1 der Läufe hier werden gemessen…</translation>
    </message>
</context>
<context>
    <name>wb::ui::WhatIfView</name>
    <message>
        <source>Select a run to see where its bytes are and what compressing it would do.</source>
        <translation>Einen Lauf wählen, um zu sehen, wo seine Bytes liegen und was Komprimieren bewirken würde.</translation>
    </message>
    <message>
        <source>Low rank: what an energy threshold gives one layer</source>
        <translation>Niedriger Rang: was eine Energieschwelle für eine Schicht ergibt</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>Schicht:</translation>
    </message>
    <message>
        <source>energy kept:</source>
        <translation>behaltene Energie:</translation>
    </message>
    <message>
        <source>prune one layer (magnitude)</source>
        <translation>eine Schicht beschneiden (Betrag)</translation>
    </message>
    <message>
        <source>int8 one layer</source>
        <translation>eine Schicht in int8</translation>
    </message>
    <message>
        <source>Run &amp;sweep</source>
        <translation>&amp;Durchlauf starten</translation>
    </message>
    <message>
        <source>Sensitivity: validation loss change with one layer compressed</source>
        <translation>Empfindlichkeit: Änderung des Validierungsverlusts mit einer komprimierten Schicht</translation>
    </message>
    <message>
        <source>sparsity:</source>
        <translation>Sparsity:</translation>
    </message>
    <message>
        <source>Bytes per layer (as stored)</source>
        <translation>Bytes je Schicht (wie gespeichert)</translation>
    </message>
    <message>
        <source>Sensitivity sweep failed: %1</source>
        <translation>Empfindlichkeitsdurchlauf fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Run %1: %2</source>
        <translation>Lauf %1: %2</translation>
    </message>
    <message>
        <source>kB</source>
        <translation>kB</translation>
    </message>
    <message>
        <source>No float linear layer to factor.</source>
        <translation>Keine lineare Gleitkommaschicht zum Faktorisieren.</translation>
    </message>
    <message>
        <source>energy kept</source>
        <translation>behaltene Energie</translation>
    </message>
    <message>
        <source>relative error</source>
        <translation>relativer Fehler</translation>
    </message>
    <message>
        <source>rank</source>
        <translation>Rang</translation>
    </message>
    <message>
        <source>Energy %1%: rank %2 of %3, parameters %4 → %5 (%6%), relative error %7.</source>
        <translation>Energie %1 %: Rang %2 von %3, Parameter %4 → %5 (%6 %), relativer Fehler %7.</translation>
    </message>
    <message>
        <source>Factoring would not save parameters at this rank; lmwb compress leaves such a layer alone.</source>
        <translation>Bei diesem Rang spart Faktorisieren keine Parameter; lmwb compress lässt eine solche Schicht unverändert.</translation>
    </message>
    <message>
        <source>Run %1: compressing one layer at a time…</source>
        <translation>Lauf %1: eine Schicht nach der anderen wird komprimiert…</translation>
    </message>
    <message>
        <source>validation loss change (nats per token)</source>
        <translation>Änderung des Validierungsverlusts (Nats pro Token)</translation>
    </message>
    <message>
        <source>Run %1: base validation loss %2 on %3 tokens; the tallest bars are the layers to leave alone.</source>
        <translation>Lauf %1: Validierungsverlust %2 auf %3 Token; die höchsten Balken sind die Schichten, die man in Ruhe lassen sollte.</translation>
    </message>
    <message>
        <source>Run %1: %2 kB of weights in %3 groups of tensors</source>
        <translation>Lauf %1: %2 kB Gewichte in %3 Tensorgruppen</translation>
    </message>
</context>
</TS>
